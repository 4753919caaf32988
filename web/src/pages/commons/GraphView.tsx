// The interaction graph drawn with sigma.js (WebGL): persons as dots, coloured by cluster, sized by
// how much they interact; member↔member edges green, member↔team grey. Positions start from the
// clusters (each cluster on its own spot of a circle) and are refined once by ForceAtlas2 in a
// worker. The cluster filter only hides nodes (reducers), it does not lay out again.
import { useEffect, useRef, useState } from 'react';
import { UndirectedGraph } from 'graphology';
import Sigma from 'sigma';
import type { GraphView as Graph } from '../../commonsApi.js';
import type { LayoutProgress, LayoutRequest } from './layout.worker.js';
import { useI18n } from '../../i18n.js';

const PALETTE = ['#1f6f5c', '#c2571a', '#3b5bab', '#a33b7a', '#6b8e23', '#8a5a00', '#008b8b', '#b03030', '#5a4fcf', '#2e7d32', '#9c6b30', '#4a6572'];
const OTHER = '#9aa5a0';
const TEAM_COLOUR = '#1b1b1b';
// Translucent, so that thousands of lines show density rather than a solid mass.
const MEMBER_EDGE = 'rgba(31, 111, 92, 0.45)';
const TEAM_EDGE = 'rgba(120, 120, 120, 0.3)';
/** ForceAtlas2: at most 15 rounds of 10 iterations, and no round started after 15 seconds. */
const ROUNDS = 15;
const PER_ROUND = 10;
const BUDGET_MS = 15_000;

export const clusterColour = (c: number) => (c >= 0 && c < PALETTE.length ? PALETTE[c] : OTHER);

/** Each cluster gets a spot on a circle; its members start around it (deterministic jitter). */
function startPositions(g: Graph): { x: Float32Array; y: Float32Array } {
  const n = g.nodes.length;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const clusters = Math.max(1, ...g.nodes.map((v) => v.cluster + 1));
  let s = 12345;
  const rand = () => { s = (s * 1103515245 + 12345) & 0x7fffffff; return s / 0x7fffffff; };
  g.nodes.forEach((v, i) => {
    const slot = v.team ? -1 : v.cluster >= 0 ? v.cluster : clusters;
    const angle = slot < 0 ? 0 : (2 * Math.PI * slot) / (clusters + 1);
    const r = slot < 0 ? 0 : 100;
    x[i] = r * Math.cos(angle) + (rand() - 0.5) * 60;
    y[i] = r * Math.sin(angle) + (rand() - 0.5) * 60;
  });
  return { x, y };
}

interface Props { graph: Graph; cluster: number | null; onOpen: (personId: number) => void }

export function GraphView({ graph, cluster, onOpen }: Props) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const renderer = useRef<Sigma | null>(null);
  const shown = useRef<number | null>(cluster);
  const [state, setState] = useState<'layout' | 'ready' | 'nowebgl'>('layout');
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
    for (const [a, b, w, team] of graph.edges) g.addEdge(String(a), String(b), { size: Math.min(3, 0.5 + Math.log2(w) / 2), color: team ? TEAM_EDGE : MEMBER_EDGE });

    let sigma: Sigma;
    try {
      sigma = new Sigma(g, el, {
        hideEdgesOnMove: true,
        hideLabelsOnMove: true,
        labelRenderedSizeThreshold: 7,
        zIndex: true,
        nodeReducer: (node, data) => (shown.current !== null && data.cluster !== shown.current && !graph.nodes[Number(node)].team ? { ...data, hidden: true } : data),
        edgeReducer: (edge, data) => {
          if (shown.current === null) return data;
          const [a, b] = g.extremities(edge);
          const inside = (n: string) => graph.nodes[Number(n)].team || g.getNodeAttribute(n, 'cluster') === shown.current;
          return inside(a) && inside(b) ? data : { ...data, hidden: true };
        },
      });
    } catch {
      setState('nowebgl');
      return;
    }
    renderer.current = sigma;
    sigma.on('clickNode', ({ node }) => { const v = graph.nodes[Number(node)]; if (!v.team) onOpen(v.id); });
    sigma.on('enterNode', () => { el.style.cursor = 'pointer'; });
    sigma.on('leaveNode', () => { el.style.cursor = ''; });
    // Where a person is drawn, in page pixels: the browser test clicks it like a user would.
    (el as HTMLDivElement & { personAt?: (id: number) => { x: number; y: number } | null }).personAt = (id) => {
      const i = graph.nodes.findIndex((v) => v.id === id && !v.team);
      if (i < 0) return null;
      const shown = sigma.getNodeDisplayData(String(i));
      if (!shown) return null;
      const p = sigma.framedGraphToViewport(shown);
      const r = el.getBoundingClientRect();
      return { x: r.left + p.x, y: r.top + p.y };
    };

    setState('layout');
    const worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    const edges = new Int32Array(graph.edges.length * 2);
    const weights = new Float32Array(graph.edges.length);
    graph.edges.forEach(([a, b, w], k) => { edges[2 * k] = a; edges[2 * k + 1] = b; weights[k] = w; });
    worker.onmessage = (e: MessageEvent<LayoutProgress>) => {
      const p = e.data;
      g.updateEachNodeAttributes((node, attr) => ({ ...attr, x: p.x[Number(node)], y: p.y[Number(node)] }), { attributes: ['x', 'y'] });
      if (p.done) { setState('ready'); worker.terminate(); }
    };
    worker.onerror = () => { setState('ready'); worker.terminate(); };
    worker.postMessage({ x, y, edges, weights, rounds: ROUNDS, perRound: PER_ROUND, budgetMs: BUDGET_MS } satisfies LayoutRequest, [x.buffer, y.buffer, edges.buffer, weights.buffer]);
    return () => { worker.terminate(); sigma.kill(); renderer.current = null; };
  }, [graph, onOpen, t]);

  useEffect(() => {
    shown.current = cluster;
    renderer.current?.refresh();
  }, [cluster]);

  if (state === 'nowebgl') return <p className="muted" data-testid="graph-nowebgl">{t.commons.noWebGl}</p>;
  return (
    <div className="commons-graph-wrap">
      {state === 'layout' && <p className="small muted commons-graph-status">{t.commons.layingOut}</p>}
      <div ref={box} className="commons-graph" data-testid="commons-graph" data-state={state} data-nodes={graph.nodes.length} data-edges={graph.edges.length} data-shown={shownCount} />
    </div>
  );
}
