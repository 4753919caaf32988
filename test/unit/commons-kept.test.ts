// The in-memory keeping of commons analyses: one computation per key while it lives, shared by
// concurrent callers; recomputed after the lifetime; failures not kept; bounded in number.
import { describe, it, expect } from 'vitest';
import { Kept } from '../../src/commons/kept.js';

function setup(lifetimeMs = 1000, atMost = 3) {
  let now = 10_000;
  let calls = 0;
  const kept = new Kept<string>(lifetimeMs, atMost, () => now);
  const compute = (v: string) => () => { calls++; return new Promise<string>((ok) => setTimeout(() => ok(`${v}#${calls}`), 5)); };
  return { kept, compute, calls: () => calls, advance: (ms: number) => { now += ms; } };
}

describe('kept analyses', () => {
  it('share one computation between concurrent callers of the same key', async () => {
    const s = setup();
    const a = s.kept.get('ws1', s.compute('a'));
    const b = s.kept.get('ws1', s.compute('b'));
    expect(await Promise.all([a.value, b.value])).toEqual(['a#1', 'a#1']);
    expect(s.calls()).toBe(1);
    expect(+b.at).toBe(10_000);
    // Another key is computed on its own.
    expect(await s.kept.get('ws2', s.compute('c')).value).toBe('c#2');
  });

  it('compute again once the lifetime is over, and say when', async () => {
    const s = setup(1000);
    await s.kept.get('k', s.compute('a')).value;
    s.advance(999);
    expect(await s.kept.get('k', s.compute('b')).value).toBe('a#1');
    s.advance(1);
    const again = s.kept.get('k', s.compute('b'));
    expect(await again.value).toBe('b#2');
    expect(+again.at).toBe(11_000);
  });

  it('forget a failed computation so the next call tries again', async () => {
    const s = setup();
    const failed = s.kept.get('k', () => Promise.reject(new Error('database gone')));
    await expect(failed.value).rejects.toThrow('database gone');
    expect(await s.kept.get('k', s.compute('a')).value).toBe('a#1');
  });

  it('keep at most the newest few', async () => {
    const s = setup(60_000, 2);
    for (const k of ['a', 'b', 'c']) await s.kept.get(k, s.compute(k)).value;
    expect(s.calls()).toBe(3);
    expect(await s.kept.get('c', s.compute('x')).value).toBe('c#3');
    expect(await s.kept.get('b', s.compute('x')).value).toBe('b#2');
    expect(await s.kept.get('a', s.compute('a')).value).toBe('a#4');
  });
});
