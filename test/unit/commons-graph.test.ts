// Betweenness and Louvain on small graphs whose answers are known by hand.
import { describe, it, expect } from 'vitest';
import { betweenness, clusters, toCsr } from '../../src/commons/algorithms.js';

const edges = (pairs: [number, number][]) => pairs.map(([a, b]) => ({ a, b, w: 1 }));

describe('betweenness', () => {
  it('on a path 0-1-2-3-4 equals the pairs each node sits between', () => {
    // Node 1 lies on the paths 0-2, 0-3, 0-4 (3 pairs); node 2 on 0-3, 0-4, 1-3, 1-4 (4 pairs).
    // Normalised by the (n-1)(n-2)/2 = 6 pairs that do not involve the node.
    const b = betweenness(toCsr(5, edges([[0, 1], [1, 2], [2, 3], [3, 4]])));
    expect([...b].map((x) => +x.toFixed(6))).toEqual([0, 0.5, +(4 / 6).toFixed(6), 0.5, 0]);
  });

  it('gives the centre of a star everything and the leaves nothing', () => {
    const b = betweenness(toCsr(6, edges([[0, 1], [0, 2], [0, 3], [0, 4], [0, 5]])));
    expect(b[0]).toBeCloseTo(1, 10);
    for (let v = 1; v < 6; v++) expect(b[v]).toBe(0);
  });

  it('splits a pair between two equally short paths', () => {
    // A square 0-1-2-3-0: 0 and 2 are joined through 1 or through 3, each carries half.
    const b = betweenness(toCsr(4, edges([[0, 1], [1, 2], [2, 3], [3, 0]])));
    // Each node is between one pair, half the time: 0.5 / ((3·2)/2) = 1/6.
    for (let v = 0; v < 4; v++) expect(b[v]).toBeCloseTo(1 / 6, 10);
  });

  it('finds the bridge between two groups when only sampled', () => {
    // Two cliques of 30 joined by node 60 (edges 0-60 and 30-60).
    const pairs: [number, number][] = [];
    for (const base of [0, 30]) for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) pairs.push([base + i, base + j]);
    pairs.push([0, 60], [30, 60]);
    const g = toCsr(61, edges(pairs));
    const exact = betweenness(g);
    const sampled = betweenness(g, 20, 7);
    const top = (b: Float64Array) => [...b.keys()].sort((x, y) => b[y] - b[x]).slice(0, 3).sort((x, y) => x - y);
    expect(top(exact)).toEqual([0, 30, 60]);
    expect(top(sampled)).toEqual([0, 30, 60]);
  });
});

describe('Louvain clusters', () => {
  it('separates two cliques joined by one edge and leaves loners out', () => {
    const pairs: [number, number][] = [];
    for (const base of [0, 5]) for (let i = 0; i < 5; i++) for (let j = i + 1; j < 5; j++) pairs.push([base + i, base + j]);
    pairs.push([4, 5]);
    const { of, modularity } = clusters(toCsr(11, edges(pairs)));
    expect(new Set(of.slice(0, 5)).size).toBe(1);
    expect(new Set(of.slice(5, 10)).size).toBe(1);
    expect(of[0]).not.toBe(of[5]);
    expect(of[10]).toBe(-1);
    // Two dense halves: modularity well above that of one lump (0).
    expect(modularity).toBeGreaterThan(0.4);
  });

  it('numbers clusters by size, largest first', () => {
    const pairs: [number, number][] = [[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 6], [6, 3], [3, 5], [4, 6]];
    const { of } = clusters(toCsr(7, edges(pairs)));
    expect(of[3]).toBe(0);
    expect(of[0]).toBe(1);
  });
});
