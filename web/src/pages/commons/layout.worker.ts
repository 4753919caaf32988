// ForceAtlas2 for the interaction graph, off the page's thread: computed once per graph, in
// rounds within a time budget, the final positions sent back once; the view never lays out per
// frame. Barnes-Hut keeps a round near-linear at 20,000 persons.
import { UndirectedGraph } from 'graphology';
import fa2Cjs from 'graphology-layout-forceatlas2';

// CommonJS with `export default` in its types: the bundler hands over the function itself.
const forceAtlas2 = fa2Cjs as unknown as typeof fa2Cjs.default;

export interface LayoutRequest { x: Float32Array; y: Float32Array; edges: Int32Array; weights: Float32Array; rounds: number; perRound: number; budgetMs: number }
/** The final positions only: each update costs the page a re-indexing of the whole graph. */
export interface LayoutProgress { x: Float32Array; y: Float32Array }

self.onmessage = (e: MessageEvent<LayoutRequest>) => {
  const { x, y, edges, weights, rounds, perRound, budgetMs } = e.data;
  const started = performance.now();
  const g = new UndirectedGraph();
  for (let i = 0; i < x.length; i++) g.addNode(i, { x: x[i], y: y[i] });
  for (let k = 0; k < weights.length; k++) g.mergeEdge(edges[2 * k], edges[2 * k + 1], { weight: weights[k] });
  const settings = { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 1000, edgeWeightInfluence: 0.5, adjustSizes: false };
  // On a slow machine a large graph stops early: the start from the clusters is already readable.
  for (let r = 0; r < rounds && performance.now() - started < budgetMs; r++) forceAtlas2.assign(g, { iterations: perRound, settings, getEdgeWeight: 'weight' });
  g.forEachNode((node, a) => { x[Number(node)] = a.x; y[Number(node)] = a.y; });
  (self as unknown as Worker).postMessage({ x, y } satisfies LayoutProgress, [x.buffer, y.buffer]);
};
