// Results kept in memory for a short while, per key: the analysis of a period takes seconds to
// tens of seconds at a million items, and the community page asks for figures and graph at once
// and is visited again soon. Concurrent callers of one key share one computation; a failed one is
// forgotten so the next call tries again. Bounded in number (each result can be large).

export interface KeptValue<T> { value: Promise<T>; /** when the computation began */ at: Date }

export class Kept<T> {
  private readonly entries = new Map<string, KeptValue<T>>();

  constructor(private readonly lifetimeMs: number, private readonly atMost: number, private readonly now: () => number = Date.now) {}

  get(key: string, compute: () => Promise<T>): KeptValue<T> {
    const now = this.now();
    for (const [k, v] of this.entries) if (now - +v.at >= this.lifetimeMs) this.entries.delete(k);
    const hit = this.entries.get(key);
    if (hit) return hit;
    const value = compute();
    const entry = { value, at: new Date(now) };
    value.catch(() => { if (this.entries.get(key) === entry) this.entries.delete(key); });
    this.entries.set(key, entry);
    // The oldest goes first (a Map iterates in insertion order).
    if (this.entries.size > this.atMost) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
