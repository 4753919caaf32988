// The interaction graph drawn with sigma.js (WebGL): persons as dots, coloured by cluster, sized by
// how much they interact; member↔member edges green, member↔team grey. Fluid at 20,000 persons and
// 200,000 edges without a GPU (bench/commons-view.ts): sigma's programs changed so that data goes to
// the GPU only when it changed and nothing is drawn as instances (programs.ts); at most two frames
// in flight; connections by level of detail (backbone.ts: two per person from afar, all up close),
// none while moving; labels only when zoomed in. Positions start from the clusters and are refined
// by ForceAtlas2 in a worker within a time budget and applied once. The cluster filter only hides
// (persons through sigma's reducer, connections in their shader), it does not lay out again.
import { useEffect, useRef, useState } from 'react';
import { UndirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { GraphView as Graph } from '../../commonsApi.js';
import type { LayoutProgress, LayoutRequest } from './layout.worker.js';
import { backbone, startPositions } from './backbone.js';
import { edgeProgramClasses, edgeType, nodeProgramClasses, type ClusterFilter } from './programs.js';
import { useI18n } from '../../i18n.js';

const PALETTE = ['#1f6f5c', '#c2571a', '#3b5bab', '#a33b7a', '#6b8e23', '#8a5a00', '#008b8b', '#b03030', '#5a4fcf', '#2e7d32', '#9c6b30', '#4a6572'];
const OTHER = '#9aa5a0';
const TEAM_COLOUR = '#1b1b1b';
// Translucent, so that thousands of lines show density rather than a solid mass.
const MEMBER_EDGE = 'rgba(31, 111, 92, 0.45)';
const TEAM_EDGE = 'rgba(120, 120, 120, 0.3)';
/** ForceAtlas2: at most 15 rounds of 10 iterations, and no round started after 8 seconds. */
const ROUNDS = 15;
const PER_ROUND = 10;
const BUDGET_MS = 8_000;
/** Connections added to the full graph per slice of work once laid out. */
const SLICE = 20_000;
/** Labels only for dots drawn at least this big (px), i.e. once zoomed in. */
const LABEL_SIZE = 12;

export const clusterColour = (c: number) => (c >= 0 && c < PALETTE.length ? PALETTE[c] : OTHER);

/**
 * Sigma re-indexes the whole graph (a stall of seconds at this size) whenever anyone calls
 * refresh() without saying what changed, as its mouse handling does after each drag when edges are
 * hidden while moving. Nothing changed then but the camera: drawing again is enough. Our own full
 * re-indexing (once laid out; the cluster filter only in the case showCluster names) goes
 * through reindex().
 */
class View extends Sigma implements ClusterFilter {
  private started = false;
  /** The cluster the filter shows (null: all), read by the nodes' reducer and the connections' shader. */
  shownCluster: number | null = null;
  /** The filter in force when sigma last laid the graph out: its label grid and zeroed connections follow it. */
  private laidOutFor: number | null = null;
  start() {
    this.started = true;
    // Which dot is under the mouse is read back from the GPU, which waits for every frame still
    // being drawn: seconds per mouse event without a GPU. While dragging or zooming no dot is
    // hovered or pressed anyway, so sigma looks only when the view is at rest (clicks always).
    const captor = this.getMouseCaptor();
    const camera = this.getCamera();
    for (const type of ['mousemove', 'mousedown', 'mouseup', 'wheel'] as const) {
      const listeners = captor.listeners(type) as ((e: unknown) => void)[];
      captor.removeAllListeners(type);
      captor.on(type, (e: unknown) => { if (!captor.isMouseDown && !camera.isAnimated()) for (const l of listeners) l(e); });
    }
    this.paceFrames();
    // Whatever made sigma lay the graph out again (our re-indexing, a resize, a new graph).
    const self = this as unknown as { process: () => unknown };
    const process = self.process.bind(this);
    self.process = () => { this.laidOutFor = this.shownCluster; return process(); };
    return this;
  }
  /**
   * Draws a frame only when the renderer has finished the one before the last. Without a GPU,
   * frames are asked for faster than software WebGL finishes them, and the picture fell seconds
   * behind the mouse; now frames are left out instead (with a GPU they are always finished). Two
   * in flight, so that the page prepares one while the renderer draws the other.
   * Sigma's render() and needToProcess are private to its types, so render is wrapped on the instance.
   */
  private paceFrames() {
    const self = this as unknown as { render: () => View };
    const draw = self.render.bind(this);
    const canvases = this.getCanvases();
    // getContext hands back the contexts sigma made; none where it had to fall back to WebGL 1.
    const contexts = [canvases.nodes, canvases.edges].map((c) => c?.getContext('webgl2')).filter((gl): gl is WebGL2RenderingContext => !!gl);
    const inFlight: WebGLSync[][] = [];
    const finished = (fences: WebGLSync[]) => fences.every((f, i) => contexts[i].getSyncParameter(f, contexts[i].SYNC_STATUS) === contexts[i].SIGNALED);
    let waiting = false;
    this.on('kill', () => { contexts.length = 0; });
    self.render = () => {
      while (inFlight.length && finished(inFlight[0])) inFlight.shift()!.forEach((f, i) => contexts[i].deleteSync(f));
      // A render after a refresh also lays the graph into the view (sigma's needToProcess), which
      // the rest of sigma counts on having happened (where a person is drawn, for clicks): never left out.
      if (inFlight.length >= 2 && !(this as unknown as { needToProcess: boolean }).needToProcess) {
        // A killed view has no contexts left; its waiting frame must not draw.
        if (!waiting) { waiting = true; requestAnimationFrame(() => { waiting = false; if (contexts.length) self.render(); }); }
        return this;
      }
      draw();
      // No fence from a lost context: then frames are simply not paced.
      const fences = contexts.map((gl) => { const f = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0); gl.flush(); return f; });
      if (fences.length && fences.every((f) => f !== null)) inFlight.push(fences as WebGLSync[]);
      return this;
    };
  }
  override refresh(opts?: Parameters<Sigma['refresh']>[0]) {
    if (opts || !this.started) return super.refresh(opts);
    this.scheduleRender();
    return this;
  }
  reindex() { return super.refresh(); }

  /**
   * Shows one cluster (and the team) or, with null, everyone. Only the persons are processed again
   * (20,000 reducer calls); connections follow from the shader's uniforms. Sigma leaves persons
   * hidden when it laid the graph out (and their connections) out of its label grid and buffers,
   * so after a layout under another filter it takes a full re-indexing to show them again.
   */
  showCluster(cluster: number | null) {
    this.shownCluster = cluster;
    if (this.laidOutFor !== null && cluster !== this.laidOutFor) return this.reindex();
    return super.refresh({ partialGraph: { nodes: this.getGraph().nodes() }, skipIndexation: true });
  }
}

interface Props { graph: Graph; cluster: number | null; onOpen: (personId: number) => void }

export function GraphView({ graph, cluster, onOpen }: Props) {
  const { t, locale } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const renderer = useRef<View | null>(null);
  const shown = useRef<number | null>(cluster);
  const [state, setState] = useState<'layout' | 'ready' | 'nowebgl'>('layout');
  const [drawnEdges, setDrawnEdges] = useState<number | null>(null);
  const inCluster = (v: Graph['nodes'][number]) => cluster === null || v.team || v.cluster === cluster;
  const shownCount = graph.nodes.filter(inCluster).length;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const g = new UndirectedGraph();
    const maxWeight = Math.max(1, ...graph.nodes.map((v) => v.weight));
    const { x, y } = startPositions(graph);
    graph.nodes.forEach((v, i) => g.addNode(String(i), {
      x: x[i], y: y[i],
      size: v.team ? 10 : 2 + 8 * Math.sqrt(v.weight / maxWeight),
      color: v.team ? TEAM_COLOUR : clusterColour(v.cluster),
      label: v.team ? t.commons.team : v.name ?? t.commons.unnamed,
      cluster: v.cluster,
    }));
    const drawn = backbone(graph);
    // The layout works on the backbone alone: it carries the structure at a fraction of the cost.
    const atDistance = drawn.level.reduce((n, l) => n + (l === 0 ? 1 : 0), 0);
    const edges = new Int32Array(atDistance * 2);
    const weights = new Float32Array(atDistance);
    const addEdges = (to: UndirectedGraph, levels: (level: number) => boolean, from = 0, until = drawn.edges.length) => {
      for (let i = from; i < Math.min(until, drawn.edges.length); i++) {
        const [a, b, , team] = graph.edges[drawn.edges[i]];
        if (levels(drawn.level[i])) to.addEdge(String(a), String(b), { type: edgeType(drawn.level[i]), color: team ? TEAM_EDGE : MEMBER_EDGE, cluster: drawn.cluster[i] });
      }
    };
    addEdges(g, (level) => level === 0);
    let j = 0;
    drawn.edges.forEach((k, i) => {
      const [a, b, w] = graph.edges[k];
      if (drawn.level[i] === 0) { edges[2 * j] = a; edges[2 * j + 1] = b; weights[j] = w; j++; }
    });
    el.dataset.drawnEdges = String(atDistance);
    setDrawnEdges(atDistance < graph.edges.length ? atDistance : null);

    let sigma: View;
    try {
      sigma = new View(g, el, {
        // Without a GPU even the backbone's connections take too long to draw in every frame of a move
        // (9 instead of 30 frames a second), so they show when the view comes to rest.
        nodeProgramClasses,
        edgeProgramClasses,
        hideEdgesOnMove: true,
        hideLabelsOnMove: true,
        labelRenderedSizeThreshold: LABEL_SIZE,
        // Sigma hands the reducer its own copy of the attributes: changed in place, not copied again.
        nodeReducer: (node, data) => {
          const c = sigma?.shownCluster ?? null;
          if (c !== null && data.cluster !== c && !graph.nodes[Number(node)].team) data.hidden = true;
          return data;
        },
      }).start();
      if (shown.current !== null) sigma.showCluster(shown.current);
    } catch {
      setState('nowebgl');
      return;
    }
    renderer.current = sigma;
    // Marks for bench/commons-view.ts: the first frame with the graph, and the end of the layout.
    requestAnimationFrame(() => performance.mark('commons-graph-drawn'));
    sigma.on('clickNode', ({ node }) => { const v = graph.nodes[Number(node)]; if (!v.team) onOpen(v.id); });
    sigma.on('enterNode', () => { el.style.cursor = 'pointer'; });
    sigma.on('leaveNode', () => { el.style.cursor = ''; });
    // Where a person (or the team) is drawn, in page pixels, null if not shown: the browser test
    // clicks and looks at the picture like a user would.
    const pointAt = (i: number) => {
      const shown = i < 0 ? undefined : sigma.getNodeDisplayData(String(i));
      if (!shown || shown.hidden) return null;
      const p = sigma.framedGraphToViewport(shown);
      const r = el.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    };
    Object.assign(el, {
      personAt: (id: number) => pointAt(graph.nodes.findIndex((v) => v.id === id && !v.team)),
      teamAt: () => pointAt(graph.nodes.findIndex((v) => v.team)),
    });

    setState('layout');
    const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    // Once laid out, the view gets the final positions and the closer levels' connections in one
    // re-indexing (each one costs a pass over the whole graph; the closer levels before the first
    // frame delayed it by seconds).
    let alive = true;
    const complete = async (p?: LayoutProgress) => {
      worker.terminate();
      const full = g.emptyCopy();
      if (p) full.updateEachNodeAttributes((node, attr) => ({ ...attr, x: p.x[Number(node)], y: p.y[Number(node)] }), { attributes: ['x', 'y'] });
      // In slices, so that the page keeps answering while 200,000 connections are added.
      for (let from = 0; from < drawn.edges.length; from += SLICE) {
        addEdges(full, () => true, from, from + SLICE);
        await new Promise((r) => setTimeout(r, 0));
        if (!alive) return;
      }
      sigma.setGraph(full);
      sigma.reindex();
      setState('ready');
      performance.mark('commons-graph-laid-out');
    };
    worker.onmessage = (e: MessageEvent<LayoutProgress>) => void complete(e.data);
    worker.onerror = () => void complete();
    worker.postMessage({ x, y, edges, weights, rounds: ROUNDS, perRound: PER_ROUND, budgetMs: BUDGET_MS } satisfies LayoutRequest, [x.buffer, y.buffer, edges.buffer, weights.buffer]);
    return () => { alive = false; worker.terminate(); sigma.kill(); renderer.current = null; };
  }, [graph, onOpen, t]);

  useEffect(() => {
    shown.current = cluster;
    renderer.current?.showCluster(cluster);
  }, [cluster]);

  if (state === 'nowebgl') return <p className="muted" data-testid="graph-nowebgl">{t.commons.noWebGl}</p>;
  return (
    <div className="commons-graph-wrap">
      {drawnEdges !== null && <p className="small muted" data-testid="graph-drawn-edges">{t.commons.drawnEdges(drawnEdges.toLocaleString(locale))}</p>}
      {state === 'layout' && <p className="small muted commons-graph-status">{t.commons.layingOut}</p>}
      <div ref={box} className="commons-graph" data-testid="commons-graph" data-state={state} data-nodes={graph.nodes.length} data-edges={graph.edges.length} data-shown={shownCount} />
    </div>
  );
}
