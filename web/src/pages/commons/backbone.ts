// What the graph view draws of a large interaction graph, so that it stays fluid without a GPU:
// at a distance the backbone (each person's heaviest connections), more connections as the view
// comes closer; and start positions from the clusters that ForceAtlas2 only needs to refine.
// Pure functions on typed arrays.
import type { GraphView as Graph } from '../../commonsApi.js';

/**
 * Levels of detail: at a distance each person's 2 heaviest connections (the backbone: every person
 * stays connected, the hairball goes), closer in their 8 heaviest, up close all of them. The camera
 * ratio (1 = whole graph in view) below which a level is drawn, and its connections per person.
 */
export const LEVELS = [
  { perPerson: 2, closerThan: Infinity },
  { perPerson: 8, closerThan: 0.5 },
  { perPerson: Infinity, closerThan: 0.2 },
] as const;

export interface Backbone {
  /** Edge index into graph.edges of each drawn edge, heaviest first. */
  edges: Int32Array;
  /** The level of detail from which an edge is drawn (index into LEVELS). */
  level: Uint8Array;
  /** The cluster an edge lies in (both ends in it, or one end the team), -2 if it joins two clusters. */
  cluster: Int32Array;
}

/**
 * Each edge's level: the first whose number of connections per person it is within for either
 * end, counting that end's heavier connections. The route sends the edges heaviest first, so one
 * pass suffices. Edges beyond the last level (when it is finite) are left out.
 */
export function backbone(g: Graph, perPerson: readonly number[] = LEVELS.map((l) => l.perPerson)): Backbone {
  const taken = new Uint32Array(g.nodes.length);
  const kept: number[] = [];
  const levels: number[] = [];
  g.edges.forEach(([a, b], k) => {
    // The team is one node with thousands of connections: it does not keep edges in by itself.
    const rank = Math.min(g.nodes[a].team ? Infinity : taken[a], g.nodes[b].team ? Infinity : taken[b]);
    const level = perPerson.findIndex((n) => rank < n);
    if (level < 0) return;
    taken[a]++;
    taken[b]++;
    kept.push(k);
    levels.push(level);
  });
  const edges = Int32Array.from(kept);
  const cluster = new Int32Array(edges.length);
  edges.forEach((k, i) => {
    const [a, b] = g.edges[k];
    const ca = g.nodes[a].team ? g.nodes[b].cluster : g.nodes[a].cluster;
    const cb = g.nodes[b].team ? g.nodes[a].cluster : g.nodes[b].cluster;
    cluster[i] = ca === cb ? ca : -2;
  });
  return { edges, level: Uint8Array.from(levels), cluster };
}

/** mulberry32: a small deterministic generator (integer arithmetic, long period). */
function generator(seed: number) {
  let s = seed;
  return () => { s = (s + 0x6d2b79f5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
}

/**
 * Each cluster a disc whose area grows with its size, the discs side by side on a spiral around
 * the team in the middle; the busiest members near their disc's centre. Close to what ForceAtlas2
 * ends with, so a few iterations suffice.
 */
export function startPositions(g: Graph): { x: Float32Array; y: Float32Array } {
  const n = g.nodes.length;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const sizes = new Map<number, number>();
  for (const v of g.nodes) if (!v.team) sizes.set(v.cluster, (sizes.get(v.cluster) ?? 0) + 1);
  // Biggest cluster first, closest to the middle; persons in no cluster (-1) last.
  const order = [...sizes.keys()].sort((a, b) => (a < 0 ? 1 : b < 0 ? -1 : sizes.get(b)! - sizes.get(a)!));
  const centre = new Map<number, { x: number; y: number; r: number }>();
  let distance = 0;
  let angle = 0;
  for (const c of order) {
    const r = 10 * Math.sqrt(sizes.get(c)!);
    distance = Math.max(distance, r);
    centre.set(c, { x: distance * Math.cos(angle), y: distance * Math.sin(angle), r });
    // Step along the spiral by roughly this disc's diameter.
    angle += (2 * r) / Math.max(distance, 1);
    distance += r / 3;
  }
  const rand = generator(12345);
  const rank = new Map<number, number>();
  const byWeight = [...g.nodes.keys()].sort((a, b) => g.nodes[b].weight - g.nodes[a].weight);
  for (const v of byWeight) {
    const node = g.nodes[v];
    if (node.team) continue;
    const k = rank.get(node.cluster) ?? 0;
    rank.set(node.cluster, k + 1);
    const disc = centre.get(node.cluster)!;
    // The k-th busiest at radius ∝ √(k/size): evenly filled disc, busiest inside.
    const rr = disc.r * Math.sqrt((k + rand()) / sizes.get(node.cluster)!);
    const a = 2 * Math.PI * rand();
    x[v] = disc.x + rr * Math.cos(a);
    y[v] = disc.y + rr * Math.sin(a);
  }
  return { x, y };
}
