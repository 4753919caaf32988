// The fields a rule can look at, their types, and the "did you mean" helper used by the parser.
import { CATEGORIES, LABELS } from '../types.js';
import { ITEM_KINDS, PLATFORMS } from '../../core/platforms.js';
import { VERDICTS } from '../../misinfo/claimreview.js';
import { DOMAIN_CATEGORIES } from '../../misinfo/domains.js';

/**
 * number  — compared with < <= > >= = !=
 * boolean — used bare (`author.trusted`) or with `not`
 * string  — is / is not / in / not in / contains / matches
 * text    — contains / contains word / matches
 * list    — links and domains: contains / matches (any entry), domains any [...]
 * words   — words any, words any [categories]
 */
export type FieldType = 'number' | 'boolean' | 'string' | 'text' | 'list' | 'words';

export interface FieldInfo {
  name: string;
  type: FieldType;
  /** The value can be unknown for an item (`is unknown` is allowed). */
  nullable: boolean;
  min?: number;
  max?: number;
  /** Allowed values for is/in, checked at compile time. */
  values?: readonly string[];
  /** Values checked against the workspace's names when the caller provides them. */
  known?: 'connections';
  /** What a value is called in messages (en, de). */
  valueName?: [string, string];
  /** An example comparison for error messages. */
  example: string;
}

const f = (name: string, type: FieldType, example: string, extra: Partial<FieldInfo> = {}): FieldInfo =>
  ({ name, type, nullable: false, example, ...extra });

export const FIELDS: readonly FieldInfo[] = [
  f('text', 'text', 'contains "gratis"'),
  f('text.length', 'number', '> 2000', { min: 0 }),
  f('language', 'string', 'is "de"', { nullable: true }),
  f('platform', 'string', 'in ["facebook", "instagram"]', { values: PLATFORMS, valueName: ['platform', 'Plattform'] }),
  f('connection', 'string', 'is "Facebook-Seite"', { known: 'connections', valueName: ['connection', 'Verbindung'] }),
  f('kind', 'string', 'is "comment"', { values: ITEM_KINDS, valueName: ['item kind', 'Beitragsart'] }),
  f('links', 'list', 'contains "utm_"'),
  f('links.count', 'number', '>= 3', { min: 0 }),
  f('domains', 'list', 'any ["bit.ly"]'),
  f('domains.count', 'number', '>= 2', { min: 0 }),
  f('words', 'words', 'any'),
  f('words.count', 'number', '>= 1', { min: 0 }),
  ...CATEGORIES.map((c) => f(`words.${c}`, 'number', '>= 1', { min: 0 })),
  ...LABELS.map((l) => f(`score.${l}`, 'number', '>= 0.8', { nullable: true, min: 0, max: 1 })),
  f('claim.score', 'number', '>= 0.8', { nullable: true, min: 0, max: 1 }),
  f('claim.verdict', 'string', 'is "false"', { nullable: true, values: VERDICTS, valueName: ['verdict', 'Bewertung'] }),
  f('domain.category', 'string', 'is "unreliable"', { nullable: true, values: DOMAIN_CATEGORIES, valueName: ['domain category', 'Domain-Kategorie'] }),
  f('campaign.items', 'number', '>= 10', { nullable: true, min: 0 }),
  f('campaign.accounts', 'number', '>= 5', { nullable: true, min: 0 }),
  f('links.newAccounts', 'number', '>= 5', { nullable: true, min: 0 }),
  f('thread.firstTimeAuthors', 'number', '>= 5', { nullable: true, min: 0 }),
  f('author.handle', 'string', 'matches /^user[0-9]+$/', { nullable: true }),
  f('author.accountAgeDays', 'number', '< 7', { nullable: true, min: 0 }),
  f('author.removals', 'number', '>= 3', { min: 0 }),
  f('author.trusted', 'boolean', ''),
  f('author.known', 'boolean', ''),
];

export const FIELD_BY_NAME: ReadonlyMap<string, FieldInfo> = new Map(FIELDS.map((x) => [x.name, x]));

/** Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), case-insensitive. */
export function editDistance(a: string, b: string): number {
  a = a.toLowerCase();
  b = b.toLowerCase();
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > 3) return Math.abs(m - n);
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  for (let i = 1; i <= m; i++) {
    const cur = new Array<number>(n + 1);
    cur[0] = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur[j] = v;
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[n];
}

/** The closest candidate, if it is close enough to be a plausible typo. */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = word.toLowerCase();
  for (const c of candidates) {
    if (c.toLowerCase() === lower) return c;
    const d = editDistance(word, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  const allowed = word.length <= 3 ? 1 : word.length <= 6 ? 2 : 3;
  return bestDistance <= allowed ? best : undefined;
}

/** Field names a user may have meant, also matching only the last part ("accountAge" → author.accountAgeDays). */
export function suggestField(word: string): string | undefined {
  const direct = suggest(word, FIELD_BY_NAME.keys());
  if (direct !== undefined) return direct;
  // A field written short: "author.accountAge", "author.account" → author.accountAgeDays.
  const lower = word.toLowerCase();
  if (lower.length >= 4) {
    const prefixed = FIELDS.filter((x) => x.name.toLowerCase().startsWith(lower) || (x.name.split('.').pop() ?? '').toLowerCase().startsWith(lower));
    if (prefixed.length === 1) return prefixed[0].name;
  }
  // "trusted" → author.trusted, "threat" → words.threat or score.threat (ambiguous: no suggestion).
  const tail = word.split('.').pop() ?? word;
  const hits = FIELDS.filter((x) => {
    const last = x.name.split('.').pop() ?? x.name;
    return last.toLowerCase() === tail.toLowerCase() || (tail.length >= 5 && editDistance(last, tail) <= 2);
  });
  if (hits.length === 1) return hits[0].name;
  if (hits.length > 1) return hits.map((x) => x.name).join(' or ');
  return GERMAN_FIELDS[word.toLowerCase()];
}

// Words a German-speaking user may type for a field.
const GERMAN_FIELDS: Record<string, string> = {
  sprache: 'language', plattform: 'platform', verbindung: 'connection', art: 'kind',
  autor: 'author.handle', autorin: 'author.handle', kontoalter: 'author.accountAgeDays',
  vertrauenswürdig: 'author.trusted', bekannt: 'author.known', wörter: 'words', woerter: 'words',
  behauptung: 'claim.score', bewertung: 'claim.verdict', kampagne: 'campaign.accounts', quelle: 'domain.category',
  neukonten: 'links.newAccounts', erstautoren: 'thread.firstTimeAuthors',
};

/** German (and a few AutoModerator) words for keywords, for "did you mean". */
export const KEYWORD_HINTS: Record<string, string> = {
  regel: 'rule', wenn: 'when', falls: 'when', außer: 'unless', ausser: 'unless', ausgenommen: 'unless',
  dann: 'then', grund: 'reason', begründung: 'reason', priorität: 'priority', prioritaet: 'priority',
  aktiv: 'enabled', inaktiv: 'disabled', aus: 'disabled', und: 'and', oder: 'or', nicht: 'not',
  if: 'when', action: 'then', actions: 'then', do: 'then', except: 'unless', name: 'rule',
};

/** German and common other words for actions. */
export const ACTION_HINTS: Record<string, string> = {
  verbergen: 'hide', ausblenden: 'hide', verstecken: 'hide', löschen: 'delete', loeschen: 'delete',
  entfernen: 'delete or hide', remove: 'delete or hide', prüfen: 'hold', pruefen: 'hold',
  zurückhalten: 'hold', zurueckhalten: 'hold', review: 'hold', report: 'hold', filter: 'hold',
  antworten: 'reply', antwort: 'reply', comment: 'reply', markieren: 'label', flag: 'label', tag: 'label',
  zuweisen: 'assign', sperren: 'ban', block: 'ban', stummschalten: 'mute', benachrichtigen: 'notify',
  melden: 'notify', alert: 'notify', spam: 'label "spam"',
};
