// What the graph view draws of a large graph: each person's heaviest connections (the backbone),
// the cluster each drawn edge lies in for the filter, and start positions near the clusters.
import { describe, it, expect } from 'vitest';
import { backbone, startPositions } from '../../web/src/pages/commons/backbone.js';
import type { GraphView } from '../../src/commons/analysis.js';

const node = (id: number, cluster: number, team = false, weight = 1) => ({ id, name: null, team, cluster, weight, betweenness: 0 });

// Team 0; persons 1–4 in cluster 0, 5 in cluster 1. Edges heaviest first, as the route sends them.
const graph: GraphView = {
  nodes: [node(100, -1, true, 50), node(101, 0, false, 20), node(102, 0, false, 15), node(103, 0), node(104, 0), node(105, 1)],
  edges: [
    [0, 1, 20, 1], // team–1: kept for 1 (its heaviest); cluster 0
    [1, 2, 9, 0], // kept for 1 and 2
    [1, 3, 5, 0], // 1 has two already, kept for 3
    [1, 4, 4, 0], // kept for 4
    [2, 3, 3, 0], // 2 has one, kept (2's second); 3 now has two
    [3, 4, 2, 0], // kept for 4's second
    [2, 4, 1, 0], // 2 and 4 have two each: dropped
    [0, 5, 1, 1], // team–5: kept for 5; cluster 1
    [4, 5, 1, 0], // 4 has two, 5 has one: kept for 5; joins two clusters
  ],
  truncated: { nodes: 0, edges: 0 },
};

describe('graph view backbone', () => {
  it('keeps each person\'s two heaviest connections and drops the rest', () => {
    const b = backbone(graph, [2]);
    expect([...b.edges]).toEqual([0, 1, 2, 3, 4, 5, 7, 8]);
    expect([...b.cluster]).toEqual([0, 0, 0, 0, 0, 0, 1, -2]);
    // With one per person fewer are kept; the team alone keeps none alive.
    expect([...backbone(graph, [1]).edges]).toEqual([0, 1, 2, 3, 7]);
  });

  it('puts the rest into the levels drawn closer in, every edge in one', () => {
    const b = backbone(graph);
    expect([...b.edges]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    // 2–4 is the third connection of both its ends: drawn from the second level on.
    expect([...b.level]).toEqual([0, 0, 0, 0, 0, 0, 1, 0, 0]);
    expect([...backbone(graph, [1, 2, Infinity]).level]).toEqual([0, 0, 0, 0, 1, 1, 2, 0, 1]);
  });

  it('starts every cluster on a disc of its own, the team in the middle', () => {
    const { x, y } = startPositions(graph);
    expect([x[0], y[0]]).toEqual([0, 0]);
    const dist = (a: number, b: number) => Math.hypot(x[a] - x[b], y[a] - y[b]);
    // Members of cluster 0 lie within its disc (radius 10·√4 = 20); person 5 is elsewhere.
    for (const a of [1, 2, 3, 4]) for (const b of [1, 2, 3, 4]) expect(dist(a, b)).toBeLessThanOrEqual(40);
    for (const a of [1, 2, 3, 4]) expect(dist(a, 5)).toBeGreaterThan(0);
    expect(x.every(Number.isFinite) && y.every(Number.isFinite)).toBe(true);
  });
});
