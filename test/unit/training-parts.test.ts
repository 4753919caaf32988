// The small parts of training on their own: the word diff a trainee sees, its size, and the equal
// shares of a stratified practice set.
import { describe, it, expect } from 'vitest';
import { wordDiff, editSize } from '../../src/training/diff.js';
import { allocate } from '../../src/training/practice.js';
import { sectionsOf } from '../../src/training/guidelines.js';

describe('word diff', () => {
  it('marks removed and added words and rebuilds both texts', () => {
    const before = 'Hallo Anna, das Bad öffnet bald.';
    const after = 'Hallo Anna, das Bad öffnet am Montag wieder.';
    const d = wordDiff(before, after);
    expect(d.filter((s) => s.op !== 'added').map((s) => s.text).join('')).toBe(before);
    expect(d.filter((s) => s.op !== 'removed').map((s) => s.text).join('')).toBe(after);
    expect(d.find((s) => s.op === 'removed')!.text.trim()).toBe('bald.');
    expect(editSize(d)).toBe(4); // bald. out; am Montag wieder. in
    expect(editSize(wordDiff(after, after))).toBe(0);
  });
});

describe('stratified shares', () => {
  it('gives each category an equal share and hands on what a small one cannot fill', () => {
    expect(Object.fromEntries(allocate(new Map([['ok', 1000], ['insult', 1000], ['threat', 10]]), 90))).toEqual({ ok: 40, insult: 40, threat: 10 });
    expect(Object.fromEntries(allocate(new Map([['ok', 3], ['spam', 2]]), 90))).toEqual({ ok: 3, spam: 2 });
    expect([...allocate(new Map([['a', 100], ['b', 100], ['c', 100]]), 500).values()].reduce((s, n) => s + n, 0)).toBe(300);
  });
});

describe('guideline sections', () => {
  it('names each heading with an anchor, umlauts spelled out, repeats numbered, code blocks skipped', () => {
    expect(sectionsOf('# Über uns\n## Ton & Stil\n```\n# kein Abschnitt\n```\n## Ton & Stil').map((s) => s.anchor)).toEqual(['ueber-uns', 'ton-stil', 'ton-stil-2']);
  });
});
