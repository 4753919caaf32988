// What the graph view draws of a large interaction graph, so that it stays fluid without a GPU:
// the backbone (each person's heaviest connections) instead of all of them, and start positions
// from the clusters that ForceAtlas2 only needs to refine. Pure functions on typed arrays.
import type { GraphView as Graph } from '../../commonsApi.js';

/** Connections per person kept in the backbone: every person stays connected, the hairball goes. */
export const PER_PERSON = 2;

export interface Backbone {
  /** Edge index into graph.edges of each drawn edge, heaviest first. */
  edges: Int32Array;
  /** The cluster an edge lies in (both ends in it, or one end the team), -2 if it joins two clusters. */
  cluster: Int32Array;
}

/**
 * Each person's `perPerson` heaviest connections (an edge stays if it is among them for either
 * end). The route sends the edges heaviest first, so one pass suffices.
 */
export function backbone(g: Graph, perPerson = PER_PERSON): Backbone {
  const taken = new Uint8Array(g.nodes.length);
  const kept: number[] = [];
  g.edges.forEach(([a, b], k) => {
    // The team is one node with thousands of connections: it does not keep edges alive by itself.
    const forA = !g.nodes[a].team && taken[a] < perPerson;
    const forB = !g.nodes[b].team && taken[b] < perPerson;
    if (!forA && !forB) return;
    taken[a]++;
    taken[b]++;
    kept.push(k);
  });
  const edges = Int32Array.from(kept);
  const cluster = new Int32Array(edges.length);
  edges.forEach((k, i) => {
    const [a, b] = g.edges[k];
    const ca = g.nodes[a].team ? g.nodes[b].cluster : g.nodes[a].cluster;
    const cb = g.nodes[b].team ? g.nodes[a].cluster : g.nodes[b].cluster;
    cluster[i] = ca === cb ? ca : -2;
  });
  return { edges, cluster };
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
