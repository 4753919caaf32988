// A rule built in the form, written as rule text – the same language the text editor takes, so
// the server's parser checks both, and a form-built rule can be edited as text afterwards.

export type FieldKind = 'number' | 'flag' | 'text' | 'choice' | 'links' | 'domains' | 'handle';

export const FIELDS: { name: string; kind: FieldKind }[] = [
  ...['insult', 'threat', 'slur', 'profanity', 'spam'].map((c) => ({ name: `words.${c}`, kind: 'number' as const })),
  { name: 'words.count', kind: 'number' },
  ...['offensive', 'threat', 'spam'].map((l) => ({ name: `score.${l}`, kind: 'number' as const })),
  { name: 'text', kind: 'text' },
  { name: 'text.length', kind: 'number' },
  { name: 'language', kind: 'choice' },
  { name: 'platform', kind: 'choice' },
  { name: 'connection', kind: 'choice' },
  { name: 'kind', kind: 'choice' },
  { name: 'links', kind: 'links' },
  { name: 'links.count', kind: 'number' },
  { name: 'domains', kind: 'domains' },
  { name: 'domains.count', kind: 'number' },
  { name: 'author.accountAgeDays', kind: 'number' },
  { name: 'author.removals', kind: 'number' },
  { name: 'author.trusted', kind: 'flag' },
  { name: 'author.known', kind: 'flag' },
  { name: 'author.handle', kind: 'handle' },
];

export const kindOf = (field: string): FieldKind => FIELDS.find((f) => f.name === field)?.kind ?? 'number';

export const OPERATORS: Record<FieldKind, string[]> = {
  number: ['>=', '>', '<=', '<', '=', '!='],
  flag: ['yes', 'no'],
  text: ['contains', 'contains word', 'matches'],
  choice: ['is', 'is not', 'in', 'not in'],
  links: ['contains', 'matches'],
  domains: ['any', 'contains', 'matches'],
  handle: ['is', 'contains', 'matches'],
};

/** Fields that may be unknown (the platform did not say, or no model scored the label). */
const MAYBE_UNKNOWN = new Set(['language', 'author.handle', 'author.accountAgeDays', 'score.offensive', 'score.threat', 'score.spam']);

export function operatorsFor(field: string): string[] {
  const ops = OPERATORS[kindOf(field)].filter((op) => op !== 'is unknown');
  return MAYBE_UNKNOWN.has(field) ? [...ops, 'is unknown'] : ops;
}

/** Operators that take no value. */
export const NO_VALUE = new Set(['yes', 'no', 'is unknown']);

export const ACTIONS = ['hold', 'hide', 'delete', 'reply', 'label', 'assign', 'ban', 'mute', 'notify'];
/** Actions that name something: a canned reply, a label, a team, a channel. */
export const ACTION_NEEDS_VALUE = new Set(['reply', 'label', 'assign', 'notify']);

export interface ConditionForm { field: string; op: string; value: string }
export interface RuleForm {
  name: string;
  join: 'and' | 'or';
  when: ConditionForm[];
  unless: ConditionForm[];
  actions: { action: string; value: string }[];
  reason: string;
  priority: string;
}


const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, ' ')}"`;
const list = (s: string) => `[${s.split(',').map((x) => x.trim()).filter(Boolean).map(quote).join(', ')}]`;
/** A regular expression between slashes; a slash inside is escaped, flags may follow a closing "/i". */
function regex(s: string): string {
  const m = /^\/(.*)\/([ims]*)$/s.exec(s.trim());
  const [body, flags] = m ? [m[1], m[2]] : [s, 'i'];
  return `/${body.replace(/(^|[^\\])\//g, '$1\\/')}/${flags}`;
}

export function conditionText(c: ConditionForm): string {
  const kind = kindOf(c.field);
  const v = c.value.trim();
  if (c.op === 'is unknown') return `${c.field} is unknown`;
  if (kind === 'number') return `${c.field} ${c.op} ${v === '' ? '?' : v.replace(',', '.')}`;
  if (kind === 'flag') return c.op === 'no' ? `not ${c.field}` : c.field;
  if (c.op === 'matches') return `${c.field} matches ${regex(v)}`;
  if (c.op === 'in' || c.op === 'not in' || c.op === 'any') return `${c.field} ${c.op} ${list(v)}`;
  return `${c.field} ${c.op} ${quote(v)}`;
}

/** The rule as text, one part a line (so an error's line says which part it is in). */
export function ruleText(form: RuleForm): string {
  const lines = [`rule ${quote(form.name.trim() || 'Neue Regel')}`];
  form.when.forEach((c, i) => lines.push(`${i === 0 ? '  when' : `    ${form.join}`} ${conditionText(c)}`));
  for (const c of form.unless) lines.push(`  unless ${conditionText(c)}`);
  const actions = form.actions.map((a) => (ACTION_NEEDS_VALUE.has(a.action) ? `${a.action} ${quote(a.value.trim())}` : a.action));
  lines.push(`  then ${actions.join(', ')}`);
  lines.push(`  reason ${quote(form.reason.trim())}`);
  if (form.priority.trim() !== '' && form.priority.trim() !== '0') lines.push(`  priority ${form.priority.trim()}`);
  return lines.join('\n') + '\n';
}

/** The rule text appended to the existing text, with one empty line between. */
export function appendRule(source: string, rule: string): { text: string; firstLine: number } {
  const base = source.replace(/\s+$/, '');
  const text = base === '' ? rule : `${base}\n\n${rule}`;
  return { text, firstLine: base === '' ? 1 : base.split('\n').length + 2 };
}
