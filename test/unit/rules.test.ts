// The moderation rule language: parsing, errors that point at the place, evaluation with
// evidence, bounded time on hostile input, and backtests.
import { describe, it, expect } from 'vitest';
import { parseRules, type Condition, type RuleError } from '../../src/moderation/rules/parse.js';
import { compileRules, evaluateRules, evaluateRulesReport, type CompiledRule, type Verdict } from '../../src/moderation/rules/evaluate.js';
import { backtestRules, backtestRulesAsync } from '../../src/moderation/rules/backtest.js';
import { normaliseText } from '../../src/core/text/normalise.js';
import type { RuleInput, WordHit, Category } from '../../src/moderation/types.js';

// ---------------------------------------------------------------------------------------------
// helpers

type Overrides = Partial<Omit<RuleInput, 'author'>> & { author?: Partial<RuleInput['author']> };

function item(text: string, o: Overrides = {}): RuleInput {
  const { normalised, folded } = normaliseText(text);
  const { author, ...rest } = o;
  return {
    text: normalised, folded, language: 'de', platform: 'facebook', connection: 'Stadtforum', kind: 'comment',
    links: [], domains: [], words: [], scores: {},
    ...rest,
    author: { handle: 'anna', accountAgeDays: 400, removals: 0, trusted: false, known: true, ...author },
  };
}

function hit(category: Category, matched: string): WordHit {
  return { list: 'de', category, term: matched.toLowerCase(), matched, start: 0, end: matched.length };
}

function compile(source: string): CompiledRule[] {
  const r = compileRules(source);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('\n'));
  return r.rules;
}

function errorsOf(source: string): RuleError[] {
  const r = compileRules(source);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.errors;
}

/** "line:column code" of every error, for exact position checks. */
const where = (errors: RuleError[]) => errors.map((e) => `${e.line}:${e.column} ${e.code}`);

/** A one-rule set around a condition. */
const one = (when: string, extra = '') => `rule "r"\n  when ${when}\n${extra}  then hold\n  reason "Grund"\n`;

/** Does the one-rule set apply to the item? */
const applies = (when: string, input: RuleInput, extra = '') => evaluateRules(compile(one(when, extra)), input).length === 1;

/** The condition tree as a compact string, for precedence checks. */
function shape(c: Condition): string {
  switch (c.type) {
    case 'and':
    case 'or': return `${c.type}(${c.items.map(shape).join(', ')})`;
    case 'not': return `not(${shape(c.item)})`;
    default: return c.text;
  }
}

// ---------------------------------------------------------------------------------------------

const SKETCH = `# Startregeln – Kommentare auf Deutsch sind erlaubt
rule "Drohungen sofort verbergen"
  when words.threat >= 1
    or score.threat >= 0.8   # auch mehrzeilig
  unless author.trusted
  then hide, notify "moderation"
  reason "Drohung"

rule "Links von neuen Konten prüfen"
  when domains any ["bit.ly", "t.me"] and author.accountAgeDays < 7
  then hold
  reason "Kurzlink von neuem Konto"
  priority 10

rule "Testregel"
  when text matches /gewinnspiel/i
  then label "spam", assign "Moderation", reply "Hinweis Gewinnspiele"
  reason "Gewinnspiel-Spam"
  disabled
`;

describe('rules: parsing', () => {
  it('reads rules with all their parts; sorted by priority, then text order', () => {
    const parsed = parseRules(SKETCH);
    expect(parsed.errors).toEqual([]);
    const [threats, links, test] = parsed.rules;
    expect(threats).toMatchObject({
      name: 'Drohungen sofort verbergen', line: 2, column: 1, priority: 0, enabled: true, reason: 'Drohung',
      actions: [{ action: 'hide' }, { action: 'notify', value: 'moderation' }],
    });
    expect(shape(threats.when)).toBe('or(words.threat >= 1, score.threat >= 0.8)');
    expect(threats.unless.map(shape)).toEqual(['author.trusted']);
    expect(links).toMatchObject({ priority: 10, actions: [{ action: 'hold' }] });
    expect(test).toMatchObject({ enabled: false, actions: [{ action: 'label', value: 'spam' }, { action: 'assign', value: 'Moderation' }, { action: 'reply', value: 'Hinweis Gewinnspiele' }] });

    const compiled = compile(SKETCH);
    expect(compiled.map((r) => r.name)).toEqual(['Links von neuen Konten prüfen', 'Drohungen sofort verbergen', 'Testregel']);
  });

  it('binds not tighter than and, and tighter than or; brackets group', () => {
    const when = (c: string) => shape(parseRules(one(c)).rules[0].when);
    expect(when('author.known or author.trusted and not words any'))
      .toBe('or(author.known, and(author.trusted, not(words any)))');
    expect(when('(author.known or author.trusted) and not (words any or links.count > 0)'))
      .toBe('and(or(author.known, author.trusted), not(or(words any, links.count > 0)))');
    expect(when('not not author.known')).toBe('not(not(author.known))');
  });

  it('knows every kind of condition', () => {
    const conditions = [
      'words.insult >= 1', 'words.count > 2', 'words any', 'words any ["threat", "slur"]', 'score.spam <= 0.5',
      'score.offensive = 1', 'score.threat == 0', 'author.removals != 0', 'text.length < 5000',
      'author.accountAgeDays is unknown', 'score.spam is not unknown', 'language is unknown',
      'language is "de"', 'language is not "en"', 'language in ["de", "en"]', 'platform not in ["email"]',
      'kind is "direct_message"', 'connection is "Stadtforum"', 'author.handle contains "bot"',
      'text contains "gratis"', 'text contains ["gratis", "umsonst"]', 'text contains any ["a1", "b2"]',
      'text contains word "hass"', 'text matches /gewinn(spiel)?/ims', 'author.handle matches /^[a-z]+[0-9]{4,}$/',
      'links contains "utm_"', 'links matches /\\.pdf$/', 'links.count >= 3', 'domains any ["bit.ly"]',
      'domains any "t.me"', 'domains contains "casino"', 'domains matches /^xn--/', 'domains.count > 1',
      'author.trusted', 'not author.known',
    ];
    const source = conditions.map((c, i) => `rule "r${i}" when ${c} then hold reason "x"`).join('\n');
    const parsed = parseRules(source);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rules.map((r) => r.when.text)).toEqual(conditions.map((c) => c.replace('==', '==')));
    expect(parsed.rules[4].when).toMatchObject({ type: 'compare', field: 'score.spam', op: '<=', value: 0.5 });
    expect(parsed.rules[6].when).toMatchObject({ type: 'compare', op: '=' }); // == is =
    expect(parsed.rules[23].when).toMatchObject({ type: 'matches', regex: { source: 'gewinn(spiel)?', flags: 'ims' } });
    expect(parsed.rules[29].when).toMatchObject({ type: 'domains', domains: ['t.me'] });
  });

  it('lets a rule set be empty or only comments', () => {
    expect(compileRules('')).toMatchObject({ ok: true, rules: [] });
    expect(compileRules('# nichts\n\n   # noch nichts\n')).toMatchObject({ ok: true, rules: [] });
  });
});

describe('rules: errors point at the place', () => {
  it('reports several syntax errors at once, each at its line and column', () => {
    const source = [
      'rule "Eins"', //                         1
      '  when words.threat >= ', //             2  number missing → at "then" (3:3)
      '  then hide', //                          3
      '  reason "x"', //                         4
      '', //                                     5
      'rule "Zwei"', //                         6
      '  when (text contains "a" or', //        7
      '        author.trusted', //              8
      '  then hold', //                          9  ) missing → at "then"
      '  reason "y"', //                        10
      '', //                                    11
      'rule "Drei"', //                        12
      '  when text contains "a" author.known', // 13  junk after the condition
      '  then hold, , hide', //                 14  empty action
      '  reason "z"', //                        15
      'rule "Vier" when language is de then hold reason "w"', // 16 unquoted value
    ].join('\n');
    expect(where(errorsOf(source))).toEqual([
      '3:3 expected-number',
      '9:3 expected-close-paren',
      '13:26 unexpected-after-condition',
      '14:14 expected-action',
      '16:30 expected-string',
    ]);
    const e = errorsOf(source);
    expect(e[1].message).toBe('Expected ) to close the ( at line 7, column 8; found then.');
    expect(e[4].message).toBe('Expected text in quotes after is, found de. Write "de".');
    expect(e[4].messageDe).toBe('Nach is wird Text in Anführungszeichen erwartet, gefunden: de. Schreib "de".');
  });

  it('says "did you mean" for fields, categories, labels, actions, keywords and values', () => {
    const source = [
      'rule "a"',
      '  when wrods.threat >= 1 or words.threats >= 1 or score.thret > 0.5 or author.accountage < 7',
      '  then hid',
      '  reason "r"',
      'rule "b"',
      '  wenn platform is "facebok"',
      'rule "c" when trusted then löschen reason "r"',
    ].join('\n');
    const e = errorsOf(source);
    expect(e.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      '2:8 Unknown field wrods.threat. Did you mean words.threat?',
      '2:29 Unknown word-list category threats. Did you mean words.threat? Categories: insult, threat, slur, profanity, spam.',
      '2:51 Unknown classifier label thret. Did you mean score.threat? Labels: offensive, threat, spam.',
      '2:72 Unknown field author.accountage. Did you mean author.accountAgeDays?',
      '3:8 Unknown action hid. Did you mean hide? Actions: hold, hide, delete, reply, label, assign, ban, mute, notify.',
      '6:3 Expected when, unless, then, reason, priority, enabled or disabled, found wenn. Did you mean when?',
      '7:15 Unknown field trusted. Did you mean author.trusted?',
      '7:28 Unknown action löschen. Did you mean delete? Actions: hold, hide, delete, reply, label, assign, ban, mute, notify.',
    ]);
    expect(e[0].messageDe).toBe('Unbekanntes Feld wrods.threat. Meintest du words.threat?');
    // Values: platform names and the workspace's names when given.
    const p = errorsOf('rule "x" when platform is "facebok" then hold reason "r"');
    expect(p[0]).toMatchObject({ line: 1, column: 27, code: 'unknown-value' });
    expect(p[0].message).toMatch(/^Unknown platform "facebok"\. Did you mean "facebook"\?/);
    const k = compileRules('rule "x" when connection is "Stadforum" then reply "Netikette" reason "r"', { connections: ['Stadtforum', 'Instagram Kanal'], cannedResponses: ['Netiquette', 'Danke'] });
    expect(k.ok ? [] : k.errors.map((x) => x.message)).toEqual([
      'Unknown connection "Stadforum". Did you mean Stadtforum? Known: Stadtforum, Instagram Kanal.',
      'Unknown canned response "Netikette". Did you mean Netiquette? Known: Netiquette, Danke.',
    ]);
  });

  it('refuses type mismatches with a hint how to write it', () => {
    const e = errorsOf([
      'rule "t"',
      '  when language > 3',
      '    or score.threat is "hoch"',
      '    or score.threat >= "0.8"',
      '    or author.trusted = true',
      '    or text = "x"',
      '    or author.removals is unknown',
      '    or domains is "bit.ly"',
      '  then hold',
      '  reason "r"',
    ].join('\n'));
    expect(e.map((x) => `${x.line}:${x.column} ${x.message}`)).toEqual([
      '2:17 language is text, not a number: use is, is not, in, contains or matches, e.g. language is "de".',
      '3:21 score.threat is a number: compare it with <, <=, >, >=, = or != and a number, e.g. score.threat >= 0.8.',
      '4:24 Expected a number after >=, found "0.8". Numbers are written without quotes.',
      '5:23 author.trusted is yes or no: write author.trusted or not author.trusted.',
      '6:13 text can be checked with contains, contains word or matches, e.g. text contains "gratis".',
      '7:24 author.removals is always known; is unknown fits only language, author.handle, author.accountAgeDays and score.… .',
      '8:16 domains is a list: use domains any ["example.com"], domains contains "…", domains matches /…/ or domains.count.',
    ]);
  });

  it('refuses what the safe regex engine cannot do, pointing into the regex', () => {
    // (a+)+$ is harmless in RE2: accepted.
    expect(compileRules(one('text matches /(a+)+$/')).ok).toBe(true);
    const back = errorsOf(one('text matches /(a)\\1/'));
    expect(back).toHaveLength(1);
    expect(back[0]).toMatchObject({ line: 2, column: 25, length: 2, code: 'regex-backreference' });
    expect(back[0].message).toBe('Backreferences like \\1 are not supported: rules use a safe regex engine (RE2) that never backtracks, so a rule cannot hang the worker. Write the repeated part out instead.');
    expect(back[0].messageDe).toMatch(/^Rückverweise wie \\1 werden nicht unterstützt/);

    expect(where(errorsOf(one('text matches /x(?=y)/')))).toEqual(['2:23 regex-lookaround']);
    expect(where(errorsOf(one('text matches /(?<!x)y/')))).toEqual(['2:22 regex-lookaround']);
    expect(where(errorsOf(one('text matches /(?<n>a)\\k<n>/')))).toEqual(['2:29 regex-backreference']);
    expect(where(errorsOf(one('text matches /a++/')))).toEqual(['2:23 regex-atomic']);
    // RE2's own errors, at the fragment it names.
    const syntax = errorsOf(one('text matches /ab[c-a]/'));
    expect(syntax[0]).toMatchObject({ line: 2, column: 25, length: 3, code: 'regex-syntax', message: 'Regex error: invalid range in [...] at `c-a`.' });
    expect(errorsOf(one('text matches /(ab/'))[0]).toMatchObject({ column: 22, message: 'Regex error: a ) is missing.' });
    // The tokenizer's own: not closed, a bare slash inside, an unknown flag.
    expect(where(errorsOf(one('text matches /abc')))).toEqual(['2:21 regex-unclosed']);
    expect(where(errorsOf(one('text matches /https://t.me/')))).toEqual(['2:28 regex-inner-slash']);
    expect(compileRules(one('text matches /https:\\/\\/t\\.me\\//')).ok).toBe(true);
    expect(where(errorsOf(one('text matches /abc/ig')))).toEqual(['2:27 regex-flag']);
  });

  it('warns where \\b meets umlauts (RE2 word boundaries are ASCII)', () => {
    const r = compileRules(one('text matches /\\bärger\\b/'));
    expect(r.ok).toBe(true);
    // Only the \b before "ä": the one after "r" sits between ASCII letters and works.
    expect(r.warnings.map((w) => `${w.line}:${w.column} ${w.code}`)).toEqual(['2:22 regex-ascii-boundary']);
    expect(r.warnings[0].message).toMatch(/^\\b and \\w only know the letters a-z/);
  });

  it('requires when, then and a reason; names are unique', () => {
    const e = errorsOf([
      'rule "Ohne Grund"',
      '  when words.spam >= 1',
      '  then hold',
      'rule "Ohne Aktion" when words.spam >= 1 reason "x"',
      'rule "Ohne Bedingung" then hold reason "x"',
      'rule "ohne grund" when words any then hold reason "doppelt"',
      'rule when words any then hold reason "kein Name"',
      'rule "Leer" when words any then hold reason "  "',
    ].join('\n'));
    expect(where(e)).toEqual([
      '1:1 missing-reason', '4:1 missing-then', '5:1 missing-when', '6:6 rule-name-duplicate', '7:6 rule-name-missing', '8:45 reason-empty',
    ]);
    expect(e[0].message).toBe('Rule "Ohne Grund" has no reason: every decision needs a reason people can read, e.g. reason "Beleidigung".');
    expect(e[3].message).toBe('There is already a rule named "ohne grund" (line 1); rule names must be unique.');
  });

  it('refuses contradictory and doubled actions, and checks action values', () => {
    const e = errorsOf([
      'rule "a" when words any then hide, delete reason "r"',
      'rule "b" when words any then hold, hide reason "r"',
      'rule "c" when words any then ban, mute reason "r"',
      'rule "d" when words any then reply "Danke", delete reason "r"',
      'rule "e" when words any then label "x", label "x" reason "r"',
      'rule "f" when words any then notify, hide "jetzt" reason "r"',
      'rule "g" when words any then hide notify "m" reason "r"',
      'rule "h" when words any then hold and notify "m" reason "r"',
    ].join('\n'));
    expect(where(e)).toEqual([
      '1:36 actions-conflict', '2:36 actions-conflict', '3:35 actions-conflict', '4:45 actions-conflict',
      '5:41 action-duplicate', '6:30 action-needs-value', '6:43 action-no-value', '7:35 expected-action-comma', '8:35 expected-action-comma',
    ]);
    expect(e[0].message).toBe('hide and delete together: choose one (delete removes the item for good, hide takes it out of view but keeps it).');
    expect(e[3].messageDe).toMatch(/^reply und delete zusammen/);
    expect(e[5].message).toBe('notify needs a channel name in quotes, e.g. notify "moderation".');
    // Different labels are fine.
    expect(compileRules('rule "l" when words any then label "a", label "b", hold reason "r"').ok).toBe(true);
  });

  it('helps with German habits: decimal comma, typographic quotes, German keywords', () => {
    expect(errorsOf(one('score.threat >= 0,8')).map((x) => `${x.line}:${x.column} ${x.message}`))
      .toEqual(['2:24 Write decimal numbers with a point: 0.8.']);
    const q = errorsOf(one('text contains „hallo“'));
    expect(where(q)).toEqual(['2:22 typographic-quote']);
    expect(where(errorsOf('regel "x" when words any then hold reason "r"'))[0]).toBe('1:1 expected-rule');
    expect(errorsOf('regel "x" when words any then hold reason "r"')[0].message).toBe('Expected rule "name" here, found regel. Did you mean rule?');
    expect(where(errorsOf(one('text contains "offen')))).toEqual(['2:22 string-unclosed']);
    // Capitalised keywords are reported and then read as keywords, so the rest is checked as well.
    const caps = errorsOf('Rule "x" When words any AND wrods.spam > 1 Then Hold Reason "r"');
    expect(where(caps)).toEqual(['1:1 keyword-case', '1:10 keyword-case', '1:25 keyword-case', '1:29 unknown-field', '1:44 keyword-case', '1:49 keyword-case', '1:54 keyword-case']);
    expect(caps[1].message).toBe('Keywords are written in lower case: when.');
    expect(errorsOf(one('domains any ["*.bit.ly"]'))[0].message).toMatch(/Did you mean "bit\.ly"\?$/);
  });

  it('keeps to its limits', () => {
    const many = Array.from({ length: 501 }, (_, i) => `rule "r${i}" when words any then hold reason "x"`).join('\n');
    expect(where(errorsOf(many))).toEqual(['501:1 too-many-rules']);
    expect(compileRules(many.split('\n').slice(0, 500).join('\n')).ok).toBe(true);

    const longRegex = 'a'.repeat(1001);
    expect(where(errorsOf(one(`text matches /${longRegex}/`)))).toEqual(['2:22 regex-too-long']);
    expect(where(errorsOf(one('text matches /[a-z]{1,1000}x/')))).toEqual(['2:22 regex-too-big']);
    expect(where(errorsOf(one('text matches /a{1001}/')))).toEqual(['2:23 regex-syntax']);

    const big = `# ${'x'.repeat(210 * 1024)}\n`;
    expect(errorsOf(big)).toEqual([expect.objectContaining({ line: 1, column: 1, code: 'source-too-large', message: 'The rule text is 211 KB; at most 200 KB are allowed.' })]);

    const deep = one(`${'('.repeat(40)}author.known${')'.repeat(40)}`);
    expect(where(errorsOf(deep))).toEqual(['2:40 nesting-too-deep']); // the 33rd bracket

    const lots = Array.from({ length: 300 }, (_, i) => `rule "r${i}" when wrods any then hold reason "x"`).join('\n');
    const capped = errorsOf(lots);
    expect(capped).toHaveLength(101);
    expect(capped[100].code).toBe('too-many-errors');
  });
});

describe('rules: robustness', () => {
  it('never throws on garbled rule text, and every error points inside the text', () => {
    let seed = 42;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const vocab = ['rule', 'when', 'unless', 'then', 'reason', 'priority', 'disabled', 'and', 'or', 'not', '(', ')', '[', ']', ',',
      'words.threat', 'score.spam', 'text', 'contains', 'word', 'matches', 'is', 'in', 'any', 'unknown', 'domains', 'author.trusted',
      '>=', '<', '=', '!=', '1', '0.5', '-3', '"x"', '"Grund"', '/a+/i', '/(a)\\1/', 'hide', 'delete', 'notify', '#', '\n', '„', '"', '/'];
    const lines = (t: string) => t.split('\n').length;
    for (let k = 0; k < 400; k++) {
      const soup = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => vocab[Math.floor(rnd() * vocab.length)]).join(rnd() < 0.5 ? ' ' : '');
      // Also: the sketch with characters cut out or repeated.
      const at = Math.floor(rnd() * SKETCH.length);
      const mutated = rnd() < 0.5 ? SKETCH.slice(0, at) + SKETCH.slice(at + 1 + Math.floor(rnd() * 5)) : SKETCH.slice(0, at) + SKETCH.slice(at - 3, at) + SKETCH.slice(at);
      for (const text of [soup, mutated]) {
        const r = compileRules(text);
        if (r.ok) continue;
        expect(r.errors.length).toBeGreaterThan(0);
        for (const e of r.errors) {
          expect(e.line).toBeGreaterThanOrEqual(1);
          expect(e.line).toBeLessThanOrEqual(lines(text));
          expect(e.column).toBeGreaterThanOrEqual(1);
          expect(e.message).not.toBe('');
          expect(e.messageDe).not.toBe('');
        }
      }
    }
  });
});

describe('rules: evaluation', () => {
  it('gives a verdict with rule, actions, reason and evidence', () => {
    const rules = compile(SKETCH);
    const input = item('Ich bring dich um', { words: [hit('threat', 'bring dich um')], scores: { threat: 0.93 } });
    const verdicts = evaluateRules(rules, input);
    expect(verdicts).toEqual<Verdict[]>([{
      rule: 'Drohungen sofort verbergen', line: 2, priority: 0,
      actions: [{ action: 'hide' }, { action: 'notify', value: 'moderation' }],
      reason: 'Drohung',
      evidence: [{ condition: 'words.threat >= 1', line: 3, column: 8, value: 1, matched: ['bring dich um'] }],
    }]);
    // The score alone is enough; then it is the evidence.
    const byScore = evaluateRules(rules, item('…', { scores: { threat: 0.85 } }));
    expect(byScore[0].evidence).toEqual([{ condition: 'score.threat >= 0.8', line: 4, column: 8, value: 0.85 }]);
  });

  it('spares trusted members with unless, and says so in the report', () => {
    const rules = compile(SKETCH);
    const input = item('Ich bring dich um', { words: [hit('threat', 'bring dich um')], author: { trusted: true } });
    expect(evaluateRules(rules, input)).toEqual([]);
    expect(evaluateRulesReport(rules, input)).toMatchObject({ verdicts: [], exempted: ['Drohungen sofort verbergen'] });
  });

  it('evaluates and / or / not with the right precedence', () => {
    const when = 'words.insult >= 1 or words.spam >= 1 and not author.known';
    const insult = item('x', { words: [hit('insult', 'Depp')] });
    const spamKnown = item('x', { words: [hit('spam', 'Gewinn')], author: { known: true } });
    const spamNew = item('x', { words: [hit('spam', 'Gewinn')], author: { known: false } });
    expect(applies(when, insult)).toBe(true); // insult alone: the or's left side
    expect(applies(when, spamKnown)).toBe(false);
    expect(applies(when, spamNew)).toBe(true);
    const grouped = '(words.insult >= 1 or words.spam >= 1) and not author.known';
    expect(applies(grouped, insult)).toBe(false);
    expect(applies(grouped, spamNew)).toBe(true);
    // Evidence shows the parts that made it true, including the not.
    const [v] = evaluateRules(compile(one(when)), spamNew);
    expect(v.evidence.map((e) => e.condition)).toEqual(['words.spam >= 1', 'not author.known']);
  });

  it('reads author facts; unknown values make comparisons false', () => {
    const young = item('x', { author: { accountAgeDays: 2, removals: 4 } });
    const unknownAge = item('x', { author: { accountAgeDays: null } });
    expect(applies('author.accountAgeDays < 7', young)).toBe(true);
    expect(applies('author.accountAgeDays < 7', unknownAge)).toBe(false);
    expect(applies('author.accountAgeDays >= 7', unknownAge)).toBe(false);
    expect(applies('author.accountAgeDays != 7', unknownAge)).toBe(true);
    expect(applies('author.accountAgeDays < 7 or author.accountAgeDays is unknown', unknownAge)).toBe(true);
    expect(applies('author.accountAgeDays is not unknown', young)).toBe(true);
    expect(applies('author.removals >= 3 and author.known and not author.trusted', young)).toBe(true);
    expect(applies('author.handle is "ANNA"', young)).toBe(true);
    expect(applies('author.handle is unknown', item('x', { author: { handle: null } }))).toBe(true);
    expect(applies('score.spam is unknown', young)).toBe(true);
    expect(applies('score.spam < 0.5', young)).toBe(false);
  });

  it('matches domains with their subdomains, never look-alike domains', () => {
    const when = 'domains any ["bit.ly", "www.t.me", "müller.de"]';
    const withDomains = (...domains: string[]) => item('x', { domains, links: domains.map((d) => `https://${d}/a`) });
    expect(applies(when, withDomains('bit.ly'))).toBe(true);
    expect(applies(when, withDomains('example.org', 'go.bit.ly'))).toBe(true);
    expect(applies(when, withDomains('BIT.LY.'))).toBe(true);
    expect(applies(when, withDomains('t.me'))).toBe(true); // "www." is dropped, as the pipeline does
    expect(applies(when, withDomains('xn--mller-kva.de'))).toBe(true); // IDN in ASCII form
    expect(applies(when, withDomains('notbit.ly'))).toBe(false);
    expect(applies(when, withDomains('bit.ly.evil.example'))).toBe(false);
    const [v] = evaluateRules(compile(one(when)), withDomains('example.org', 'go.bit.ly'));
    expect(v.evidence[0].matched).toEqual(['go.bit.ly']);
    expect(applies('links contains "/a" and domains contains "bit"', withDomains('go.bit.ly'))).toBe(true);
    expect(applies('links matches /^https:\\/\\/go\\./ and domains.count = 1', withDomains('go.bit.ly'))).toBe(true);
  });

  it('finds text on the folded text, as whole words when asked', () => {
    expect(applies('text contains "idiot"', item('Du 1d10t!'))).toBe(true);
    expect(applies('text contains "Ärger"', item('So ein AERGER'))).toBe(true);
    expect(applies('text contains "Ärger"', item('So ein Ärger'))).toBe(true);
    expect(applies('text contains "hass"', item('David Hasselhoff'))).toBe(true);
    expect(applies('text contains word "hass"', item('David Hasselhoff'))).toBe(false);
    expect(applies('text contains word "hass"', item('Purer Hass!'))).toBe(true);
    expect(applies('text contains word "hass"', item('Hasselhoff und Hass'))).toBe(true);
    expect(applies('text contains word "hass"', item('Erzhass, Hasshass und Hass.'))).toBe(true);
    expect(applies('text contains word "hass"', item('Erzhass, Hasshass'))).toBe(false);
    expect(applies('text contains word "c++"', item('ich mag c++ sehr'))).toBe(true); // the needle's own edges decide
    expect(applies('text contains word ["dumm", "hass"]', item('Hass, überall'))).toBe(true);
    const [v] = evaluateRules(compile(one('text contains ["gratis", "umsonst", "geschenkt"]')), item('Alles GRATIS und umsonst'));
    expect(v.evidence[0].matched).toEqual(['gratis', 'umsonst']);
  });

  it('runs regexes on the text as written, with flags, and shows the match', () => {
    const input = item('Jetzt beim GEWINNSPIEL mitmachen!\nZweite Zeile');
    expect(applies('text matches /gewinnspiel/', input)).toBe(false);
    expect(applies('text matches /gewinnspiel/i', input)).toBe(true);
    const [v] = evaluateRules(compile(one('text matches /gewinn(spiel)?/i')), input);
    expect(v.evidence).toEqual([{ condition: 'text matches /gewinn(spiel)?/i', line: 2, column: 8, matched: ['GEWINNSPIEL'], at: 11 }]);
    // The normalised text has no line breaks (whitespace runs become one space); ^ is the start.
    expect(applies('text matches /^jetzt/i', input)).toBe(true);
    expect(applies('text matches /\\p{Lu}{5,}/', input)).toBe(true);
  });

  it('gives the same answers with many regex rules (one pass) as with one', () => {
    const patterns = ['gewinn', '^jetzt', 'mitmachen!$', '\\d{3,}', '(?:ab|cd)+e', 'x.y', 'zeile$', '[äöü]'];
    const flags = ['', 'i', 'm', 's', 'im', 'is'];
    const texts = ['Jetzt GEWINN mitmachen!', 'abcdabe 1234', 'x\ny oder xzy', 'Grüße aus der Zeile', 'nichts', ''];
    const all = compile(patterns.flatMap((p, i) => flags.map((f, j) => `rule "r${i}-${j}" when text matches /${p}/${f} then hold reason "x"`)).join('\n'));
    for (const t of texts) {
      const input: RuleInput = { ...item('x'), text: t, folded: t.toLowerCase() };
      const together = evaluateRules(all, input).map((v) => v.rule).sort();
      const alone = all.filter((r) => evaluateRules([r], input).length === 1).map((r) => r.name).sort();
      expect(together).toEqual(alone);
      const native = patterns.flatMap((p, i) => flags.map((f, j) => (new RegExp(p, `u${f}`).test(t) ? `r${i}-${j}` : null))).filter((x) => x !== null).sort();
      expect(together).toEqual(native);
    }
  });

  it('checks language, platform, connection and kind', () => {
    const input = item('x', { language: 'en', platform: 'youtube', connection: 'Kanal Nord', kind: 'reply' });
    expect(applies('language is "en" and platform in ["youtube", "tiktok"]', input)).toBe(true);
    expect(applies('language is not "de"', input)).toBe(true);
    expect(applies('language is not "de"', item('x', { language: null }))).toBe(true);
    expect(applies('language is "de"', item('x', { language: null }))).toBe(false);
    expect(applies('platform not in ["facebook"] and connection is "kanal nord" and kind is "reply"', input)).toBe(true);
    expect(applies('words any ["threat"] or words.count >= 2', item('x', { words: [hit('spam', 'a'), hit('insult', 'b')] }))).toBe(true);
    expect(applies('words any ["threat"]', item('x', { words: [hit('spam', 'a')] }))).toBe(false);
  });

  it('orders verdicts by priority and skips disabled rules unless asked', () => {
    const rules = compile([
      'rule "niedrig" when words any then label "a" reason "a"',
      'rule "hoch" when words any then hold reason "b" priority 5',
      'rule "aus" when words any then hide reason "c" disabled',
      'rule "an" when words any then label "d" reason "d" enabled priority -1',
    ].join('\n'));
    const input = item('x', { words: [hit('spam', 'a')] });
    expect(evaluateRules(rules, input).map((v) => v.rule)).toEqual(['hoch', 'niedrig', 'an']);
    expect(evaluateRules(rules, input, { includeDisabled: true }).map((v) => v.rule)).toEqual(['hoch', 'niedrig', 'aus', 'an']);
  });

  it('finishes quickly on a hostile 100,000-character text with a regex that would backtrack', () => {
    const rules = compile([
      'rule "a" when text matches /(a+)+$/ then hold reason "x"',
      'rule "b" when text matches /^(a|aa)+b/ then hold reason "x"',
      'rule "c" when text matches /(x+x+)+y/ and text matches /(.*a){20}/ then hold reason "x"',
      'rule "d" when author.handle matches /(a*)*b/ then hold reason "x"',
      `rule "e" when text contains word ["${'a'.repeat(150)}", "${'a'.repeat(149)}b"] then hold reason "x"`,
    ].join('\n'));
    const hostile = 'a'.repeat(99_999) + '!'; // 100,000 characters
    const input: RuleInput = { ...item('x'), text: hostile, folded: hostile, author: { ...item('x').author, handle: 'a'.repeat(5_000) } };
    const started = performance.now();
    const verdicts = evaluateRules(rules, input);
    const ms = performance.now() - started;
    expect(verdicts).toEqual([]);
    expect(ms).toBeLessThan(500);
    // Also when it matches and the evidence has to find the match.
    const matching: RuleInput = { ...input, text: 'a'.repeat(100_000), folded: 'a'.repeat(100_000) };
    const t2 = performance.now();
    const [v] = evaluateRules(compile('rule "a" when text matches /(a+)+$/ then hold reason "x"'), matching);
    expect(performance.now() - t2).toBeLessThan(500);
    expect(v.evidence[0].matched?.[0]).toMatch(/^a{200}…$/);
  });

  it('looks at the first 100,000 characters of a very long text, and says so', () => {
    const long = 'harmlos '.repeat(15_000) + 'gewinnspiel';
    const rules = compile(one('text matches /gewinnspiel/ or text.length > 100000'));
    const [v] = evaluateRules(rules, item(long));
    expect(v.partial).toBe(true);
    expect(v.evidence.map((e) => e.condition)).toEqual(['text.length > 100000']);
  });

  it('keeps contains lists within a work limit per item, and reports what it skipped', () => {
    const needles = Array.from({ length: 1_000 }, (_, i) => `"wort${i}"`).join(', ');
    const rules = compile(`rule "viele" when text contains [${needles}] then hold reason "x"\nrule "kurz" when text contains "wort999" then label "x" reason "y"`);
    const short = item('hier steht wort999');
    expect(evaluateRules(rules, short).map((v) => v.rule)).toEqual(['viele', 'kurz']);
    const long = item('bla '.repeat(20_000) + 'wort999'); // 80,000 characters × 1,000 needles: over the limit
    const report = evaluateRulesReport(rules, long);
    expect(report.verdicts.map((v) => [v.rule, v.partial])).toEqual([['kurz', true]]);
    expect(report.skipped).toBe(1);
  });
});

describe('rules: backtest', () => {
  const history = [
    { itemId: 1, input: item('Ich bring dich um', { words: [hit('threat', 'bring dich um')] }) },
    { itemId: 2, input: item('Danke für die Antwort!') },
    { itemId: 3, input: item('Schau mal https://bit.ly/x', { domains: ['bit.ly'], links: ['https://bit.ly/x'], author: { accountAgeDays: 1 } }) },
    { itemId: 4, input: item('Wir wissen wo du wohnst', { scores: { threat: 0.9 } }) },
    { itemId: 5, input: item('Ich bring dich um (Filmzitat)', { words: [hit('threat', 'bring dich um')], author: { trusted: true } }) },
    { itemId: 6, input: item('Mitmachen beim Gewinnspiel!') },
  ];

  it('counts per rule what the rules would have done, disabled rules included', () => {
    const result = backtestRules(compile(SKETCH), history);
    expect(result.tested).toBe(6);
    expect({ ...result.perRule }).toEqual({ 'Links von neuen Konten prüfen': 1, 'Drohungen sofort verbergen': 2, Testregel: 1 });
    expect({ ...result.exempted }).toEqual({ 'Links von neuen Konten prüfen': 0, 'Drohungen sofort verbergen': 1, Testregel: 0 });
    expect(result.matched.map((m) => [m.itemId, m.rule, m.actions.map((a) => a.action).join('+')])).toEqual([
      [1, 'Drohungen sofort verbergen', 'hide+notify'],
      [3, 'Links von neuen Konten prüfen', 'hold'],
      [4, 'Drohungen sofort verbergen', 'hide+notify'],
      [6, 'Testregel', 'label+assign+reply'],
    ]);
    expect(result.matched[0]).toMatchObject({ reason: 'Drohung', evidence: [{ condition: 'words.threat >= 1', matched: ['bring dich um'] }] });
    expect(result.truncated).toBe(false);
  });

  it('can leave disabled rules out, cap the list, and read an async source', async () => {
    const live = backtestRules(compile(SKETCH), history, { includeDisabled: false, maxMatches: 2 });
    expect(Object.keys(live.perRule)).not.toContain('Testregel');
    expect(live.matched).toHaveLength(2);
    expect(live.truncated).toBe(true);
    expect(live.perRule['Drohungen sofort verbergen']).toBe(2);

    async function* pages() { for (const h of history) yield h; }
    const seen: number[] = [];
    const fromAsync = await backtestRulesAsync(compile(SKETCH), pages(), { onProgress: (n) => seen.push(n), progressEvery: 4 });
    expect(fromAsync.perRule['Drohungen sofort verbergen']).toBe(2);
    expect(seen).toEqual([4, 6]);
  });

  it('handles rule names that are also object keys', () => {
    const result = backtestRules(compile('rule "__proto__" when words any then hold reason "x"\nrule "constructor" when words any then hold reason "x"'), history);
    expect(result.perRule['__proto__']).toBe(2);
    expect(result.perRule['constructor']).toBe(2);
  });
});
