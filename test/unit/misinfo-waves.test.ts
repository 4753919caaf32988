// The pure parts of link waves and newcomer bursts: which links count as the same, the busiest
// window around an item, and the rule fields links.newAccounts and thread.firstTimeAuthors.
import { describe, expect, it } from 'vitest';
import { normaliseLink, busiestWindow, type Point } from '../../src/misinfo/waves.js';
import { misinfoFacts } from '../../src/misinfo/facts.js';
import { compileRules, evaluateRules } from '../../src/moderation/rules/evaluate.js';
import type { RuleInput } from '../../src/moderation/types.js';

describe('normaliseLink', () => {
  it('treats tracking parameters, scheme, www, fragment, case of the host and parameter order as the same link', () => {
    const same = ['https://www.Example.org/a/b?x=1&y=2', 'http://example.org/a/b/?y=2&x=1&utm_source=tg&utm_campaign=z', 'https://example.org/a/b?fbclid=1&x=1&y=2#top', 'https://example.org/a/b?x=1&gclid=q&y=2&si=abc'];
    expect(new Set(same.map(normaliseLink))).toEqual(new Set(['example.org/a/b?x=1&y=2']));
  });
  it('keeps what tells pages apart, and refuses what is no web link', () => {
    expect(normaliseLink('https://example.org/a?id=7')).not.toBe(normaliseLink('https://example.org/a?id=8'));
    expect(normaliseLink('https://example.org/A')).not.toBe(normaliseLink('https://example.org/a'));
    expect(normaliseLink('https://example.org:8443/a')).toBe('example.org:8443/a');
    expect(normaliseLink('javascript:alert(1)')).toBeNull();
    expect(normaliseLink('kein link')).toBeNull();
    expect(normaliseLink(`https://example.org/${'a'.repeat(5000)}`)!.length).toBe(1000);
  });
});

describe('busiestWindow', () => {
  const p = (minute: number, key: string): Point => ({ t: minute * 60_000, key, name: key, isNew: true, itemId: minute });
  it('finds the window with most distinct accounts that contains the item', () => {
    const points = [p(0, 'a'), p(10, 'b'), p(20, 'a'), p(30, 'c'), p(50, 'd'), p(100, 'e'), p(130, 'f')];
    const w = busiestWindow(points, 30 * 60_000, 60 * 60_000)!;
    expect([...w.keys.keys()]).toEqual(['a', 'b', 'c', 'd']);
    expect([w.from, w.to]).toEqual([0, 50 * 60_000]);
    // The last item's best hour holds only itself and its neighbours.
    expect([...busiestWindow(points, 130 * 60_000, 60 * 60_000)!.keys.keys()]).toEqual(['e', 'f']);
  });
});

describe('rule fields', () => {
  const input = (signals: Parameters<typeof misinfoFacts>[0]): RuleInput => ({ text: 't', folded: 't', language: 'de', platform: 'forum', connection: 'c', kind: 'comment', links: [], domains: [], words: [], scores: {},
    misinfo: misinfoFacts(signals), author: { handle: null, accountAgeDays: null, removals: 0, trusted: false, known: false } });
  const applies = (when: string, i: RuleInput) => {
    const r = compileRules(`rule "r"\n  when ${when}\n  then hold\n  reason "x"\n`);
    if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('; '));
    return evaluateRules(r.rules, i).length === 1;
  };
  it('reads the new accounts of a link wave and the first-time authors of a burst; unknown without them', () => {
    const i = input([{ kind: 'link_wave', label: null, score: 0.8, evidence: { accounts: 10, newAccounts: 8 } }, { kind: 'newcomer_burst', label: null, score: 6, evidence: { authors: 6 } }]);
    expect(applies('links.newAccounts >= 8', i)).toBe(true);
    expect(applies('links.newAccounts >= 9', i)).toBe(false);
    expect(applies('thread.firstTimeAuthors > 5', i)).toBe(true);
    const none = input([]);
    expect(applies('links.newAccounts >= 0', none)).toBe(false);
    expect(applies('links.newAccounts is unknown and thread.firstTimeAuthors is unknown', none)).toBe(true);
  });
  it('suggests the field for a German word', () => {
    const r = compileRules('rule "r"\n  when neukonten >= 5\n  then hold\n  reason "x"\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.message).join(' ')).toContain('links.newAccounts');
  });
});
