// Graph algorithms on the member-to-member graph: betweenness (who connects otherwise separate
// groups) and Louvain clusters. Pure functions over a compact adjacency list, so they are tested
// on small known graphs and run on 100,000 persons without building objects per node.
import { UndirectedGraph } from 'graphology';
import louvainCjs from 'graphology-communities-louvain';

// The package is CommonJS whose types say `export default`: imported from ESM, the default is
// already the function.
const louvain = louvainCjs as unknown as typeof louvainCjs.default;

/** An undirected weighted graph over nodes 0..n-1 in CSR form (neighbours of v: adj[start[v]..start[v+1])). */
export interface Csr { n: number; start: Int32Array; adj: Int32Array; weight: Float64Array }

/** Builds the CSR from undirected edges (a, b, weight); parallel edges are summed, loops dropped. */
export function toCsr(n: number, edges: { a: number; b: number; w: number }[]): Csr {
  const merged = new Map<number, number>();
  for (const e of edges) {
    if (e.a === e.b) continue;
    const lo = Math.min(e.a, e.b);
    const hi = Math.max(e.a, e.b);
    const key = lo * n + hi;
    merged.set(key, (merged.get(key) ?? 0) + e.w);
  }
  const degree = new Int32Array(n + 1);
  for (const key of merged.keys()) { degree[Math.floor(key / n)]++; degree[key % n]++; }
  const start = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) start[v + 1] = start[v] + degree[v];
  const fill = start.slice(0, n);
  const adj = new Int32Array(start[n]);
  const weight = new Float64Array(start[n]);
  for (const [key, w] of merged) {
    const a = Math.floor(key / n);
    const b = key % n;
    adj[fill[a]] = b; weight[fill[a]++] = w;
    adj[fill[b]] = a; weight[fill[b]++] = w;
  }
  return { n, start, adj, weight };
}

/** A small deterministic generator, so sampled figures are the same on every run. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4_294_967_296; };
}

/**
 * Betweenness centrality (Brandes, unweighted shortest paths), normalised to [0, 1] by the number
 * of node pairs (n-1)(n-2)/2. Exact when `samples` >= n; otherwise estimated from that many
 * source nodes picked at random (Brandes & Pich 2007) and scaled up by n / samples: exact
 * betweenness is O(n·m), hours at 100,000 persons, while a few hundred sources rank the top
 * connectors the same way.
 */
export function betweenness(g: Csr, samples = Infinity, seed = 1): Float64Array {
  const { n, start, adj } = g;
  const cb = new Float64Array(n);
  if (n < 3) return cb;
  let sources: Int32Array;
  if (samples >= n) sources = Int32Array.from({ length: n }, (_, i) => i);
  else {
    const all = Int32Array.from({ length: n }, (_, i) => i);
    const r = rng(seed);
    for (let i = 0; i < samples; i++) { const j = i + Math.floor(r() * (n - i)); const t = all[i]; all[i] = all[j]; all[j] = t; }
    sources = all.slice(0, samples);
  }
  const sigma = new Float64Array(n);
  const dist = new Int32Array(n);
  const delta = new Float64Array(n);
  const order = new Int32Array(n);
  const queue = new Int32Array(n);
  for (const s of sources) {
    sigma.fill(0); dist.fill(-1); delta.fill(0);
    sigma[s] = 1; dist[s] = 0;
    let head = 0; let tail = 0; let seen = 0;
    queue[tail++] = s;
    while (head < tail) {
      const v = queue[head++];
      order[seen++] = v;
      for (let k = start[v]; k < start[v + 1]; k++) {
        const w = adj[k];
        if (dist[w] < 0) { dist[w] = dist[v] + 1; queue[tail++] = w; }
        if (dist[w] === dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    // Back-propagate dependencies in order of decreasing distance; predecessors of w are the
    // neighbours one step closer to s.
    for (let i = seen - 1; i > 0; i--) {
      const w = order[i];
      for (let k = start[w]; k < start[w + 1]; k++) {
        const v = adj[k];
        if (dist[v] === dist[w] - 1) delta[v] += (sigma[v] / sigma[w]) * (1 + delta[w]);
      }
      cb[w] += delta[w];
    }
  }
  // Each undirected pair was counted from both ends; sampling counts a share of the sources.
  const scale = (n / sources.length) / 2 / (((n - 1) * (n - 2)) / 2);
  for (let v = 0; v < n; v++) cb[v] *= scale;
  return cb;
}

/** Louvain communities (weighted, resolution 1): the cluster number of each node, largest cluster 0. */
export function clusters(g: Csr, seed = 1): { of: Int32Array; modularity: number } {
  const graph = new UndirectedGraph({ allowSelfLoops: false });
  // A node without edges is no cluster's member (it keeps -1).
  for (let v = 0; v < g.n; v++) if (g.start[v + 1] > g.start[v]) graph.addNode(v);
  for (let v = 0; v < g.n; v++) {
    for (let k = g.start[v]; k < g.start[v + 1]; k++) if (g.adj[k] > v) graph.addEdge(v, g.adj[k], { weight: g.weight[k] });
  }
  const of = new Int32Array(g.n).fill(-1);
  if (graph.size === 0) return { of, modularity: 0 };
  const result = louvain.detailed(graph, { getEdgeWeight: 'weight', rng: rng(seed) });
  // Renumber by size, so cluster 0 is the largest and numbers are stable for a given graph.
  const sizes = new Map<number, number>();
  for (const c of Object.values(result.communities)) sizes.set(c, (sizes.get(c) ?? 0) + 1);
  const rank = new Map([...sizes.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([c], i) => [c, i]));
  graph.forEachNode((node: string) => { of[Number(node)] = rank.get(result.communities[node])!; });
  return { of, modularity: result.modularity };
}
