// Seeded randomness for reproducible splits and training order (mulberry32: small, fast, and the
// same sequence on every platform).

export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates shuffle in place. */
export function shuffleInPlace<T>(items: T[] | Int32Array, random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = items[i];
    items[i] = items[j];
    items[j] = t;
  }
}

/**
 * Split indices 0..n-1 into (rest, heldOut) with `share` of every stratum held out, chosen by a
 * seeded shuffle. `stratum(i)` names the stratum of item i (e.g. its class). Deterministic for a
 * given seed and input order. Each stratum keeps at least one item on each side when it has two.
 */
export function stratifiedSplit(n: number, share: number, seed: number, stratum: (i: number) => string): { rest: number[]; heldOut: number[] } {
  if (!(share > 0 && share < 1)) throw new Error(`split share must be between 0 and 1, got ${share}`);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = stratum(i);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(i);
  }
  const random = createRandom(seed);
  const rest: number[] = [];
  const heldOut: number[] = [];
  for (const key of [...groups.keys()].sort()) {
    const g = groups.get(key)!;
    shuffleInPlace(g, random);
    let k = Math.round(g.length * share);
    if (g.length >= 2) k = Math.min(g.length - 1, Math.max(1, k));
    heldOut.push(...g.slice(0, k));
    rest.push(...g.slice(k));
  }
  rest.sort((a, b) => a - b);
  heldOut.sort((a, b) => a - b);
  return { rest, heldOut };
}
