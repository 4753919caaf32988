// The rules form writes the same rule language the text editor takes: every form-built rule
// compiles with the server's parser, and values are quoted so no input can break out.
import { describe, it, expect } from 'vitest';
import { compileRules } from '../../src/moderation/rules/evaluate.js';
import { FIELDS, operatorsFor, NO_VALUE, ruleText, appendRule, type RuleForm } from '../../web/src/pages/rules/ruleText.js';

const base: RuleForm = { name: 'Drohungen', join: 'or', when: [{ field: 'words.threat', op: '>=', value: '1' }], unless: [], actions: [{ action: 'hold', value: '' }], reason: 'Drohung', priority: '' };
const sample: Record<string, string> = { number: '0,8', text: 'Idiot', links: 'bit.ly', domains: 'bit.ly, t.me', handle: '@troll' };
const choices: Record<string, [one: string, many: string]> = {
  language: ['de', 'de, en'], platform: ['mastodon', 'mastodon, bluesky'], kind: ['comment', 'comment, reply'], connection: ['Forum', 'Forum, Newsletter'],
};
function valueFor(field: string, kind: string, op: string): string {
  if (NO_VALUE.has(op)) return '';
  if (op === 'matches') return 'b[i1]tch';
  if (kind === 'choice') return choices[field][op.endsWith('in') ? 1 : 0];
  return sample[kind];
}

describe('rule form → rule text', () => {
  it('writes a rule the parser accepts, one part a line', () => {
    const text = ruleText({ ...base, when: [...base.when, { field: 'score.threat', op: '>=', value: '0,8' }], unless: [{ field: 'author.trusted', op: 'yes', value: '' }],
      actions: [{ action: 'hide', value: '' }, { action: 'notify', value: 'moderation' }], priority: '10' });
    expect(text).toBe('rule "Drohungen"\n  when words.threat >= 1\n    or score.threat >= 0.8\n  unless author.trusted\n  then hide, notify "moderation"\n  reason "Drohung"\n  priority 10\n');
    expect(compileRules(text).ok).toBe(true);
  });

  it('compiles for every field and operator', () => {
    for (const f of FIELDS) {
      for (const op of operatorsFor(f.name)) {
        const text = ruleText({ ...base, when: [{ field: f.name, op, value: valueFor(f.name, f.kind, op) }] });
        const r = compileRules(text);
        expect(r.ok, `${f.name} ${op}: ${text} ${r.ok ? '' : JSON.stringify(r.errors)}`).toBe(true);
      }
    }
  });

  it('quotes hostile values so they stay values', () => {
    const text = ruleText({ ...base, name: 'a" then delete reason "x', when: [{ field: 'text', op: 'contains', value: 'say "hi"\\' }], reason: 'line\nbreak' });
    const r = compileRules(text);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.rules).toHaveLength(1);
      expect(r.rules[0].name).toBe('a" then delete reason "x');
    }
    expect(ruleText({ ...base, when: [{ field: 'text', op: 'matches', value: 'a/b' }] })).toMatch(/text matches \/a\\\/b\/i/);
  });

  it('appends after the existing rules and says on which line the new rule starts', () => {
    expect(appendRule('', 'rule "x"\n')).toEqual({ text: 'rule "x"\n', firstLine: 1 });
    expect(appendRule('rule "a"\n  when x\n\n\n', 'rule "b"\n')).toEqual({ text: 'rule "a"\n  when x\n\nrule "b"\n', firstLine: 4 });
  });
});
