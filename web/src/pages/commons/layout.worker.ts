// ForceAtlas2 for the interaction graph, off the page's thread: computed once per graph, in
// rounds within a time budget, each round's positions sent back so the view settles visibly; the view never lays out
// per frame. Barnes-Hut keeps a round near-linear at 20,000 persons.
import { UndirectedGraph } from 'graphology';
import fa2Cjs from 'graphology-layout-forceatlas2';

// CommonJS with `export default` in its types: the bundler hands over the function itself.
const forceAtlas2 = fa2Cjs as unknown as typeof fa2Cjs.default;

export interface LayoutRequest { x: Float32Array; y: Float32Array; edges: Int32Array; weights: Float32Array; rounds: number; perRound: number; budgetMs: number }
export interface LayoutProgress { x: Float32Array; y: Float32Array; done: boolean }

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  const { x, y, edges, weights, rounds, perRound, budgetMs } = e.data;
  const started = performance.now();
  const g = new UndirectedGraph();
  for (let i = 0; i < x.length; i++) g.addNode(i, { x: x[i], y: y[i] });
  for (let k = 0; k < weights.length; k++) g.mergeEdge(edges[2 * k], edges[2 * k + 1], { weight: weights[k] });
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 1000, edgeWeightInfluence: 0.5, adjustSizes: false };
  for (let r = 0; r < rounds; r++) {
    forceAtlas2.assign(g, { iterations: perRound, settings, getEdgeWeight: 'weight' });
    // On a slow machine a large graph stops early: the start from the clusters is already readable.
    const last = r === rounds - 1 || performance.now() - started > budgetMs;
    const nx = new Float32Array(x.length);
    const ny = new Float32Array(x.length);
    g.forEachNode((node, a) => { nx[Number(node)] = a.x; ny[Number(node)] = a.y; });
    (self as unknown as Worker).postMessage({ x: nx, y: ny, done: last } satisfies LayoutProgress, [nx.buffer, ny.buffer]);
    if (last) return;
  }
};
