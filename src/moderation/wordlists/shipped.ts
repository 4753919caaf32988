// The word-list text format (shipped lists and workspace-edited lists) and the shipped lists.
//
// Format, one entry a line:
//   <category> [<mode>] <term…>     category: insult | threat | slur | profanity | spam
//   allow [<mode>] <term…>          an innocent word or phrase that contains a term of this list
// Fields are separated by a TAB or by spaces (a term may contain spaces: "ich bring dich um").
// With TABs: "category<TAB>mode<TAB>term" or "category<TAB>term". With spaces, the second word is
// the mode when it is one of part | word | start | end, otherwise it is part of the term (so a
// term that begins with one of these words needs its mode written out). Mode defaults to "part".
// Empty lines and lines starting with "#" are ignored. Keywords are case-insensitive; terms are
// folded like every text (case, umlauts, diacritics, leetspeak…), so write them the normal way.
// See matcher.ts for what the modes and allow entries do.

import { readFileSync } from 'node:fs';
import { problemText, type ProblemText } from './messages.js';
import { CATEGORIES, type Category } from '../types.js';
import {
  compileWordList,
  describeProblem,
  MATCH_MODES,
  WORD_LIST_LIMITS,
  WordListError,
  type AllowEntry,
  type CompiledList,
  type MatchMode,
  type WordListEntry,
  type WordListProblem,
} from './matcher.js';

export const SHIPPED_LIST_NAMES = ['de', 'en'] as const;
export type ShippedListName = (typeof SHIPPED_LIST_NAMES)[number];

/** Longest line accepted in a list text (a term may fold to at most 100 characters anyway). */
export const MAX_LINE_LENGTH = 1_000;
/** Largest list text accepted, in characters. */
export const MAX_SOURCE_LENGTH = 20_000_000;

export interface ParsedWordList {
  name: string;
  /** The compiled list, or null when there is any error. */
  list: CompiledList | null;
  entries: WordListEntry[];
  allow: AllowEntry[];
  /** Every error, in line order; `line` is null only for a problem of the whole text. */
  errors: WordListProblem[];
  /** Problems that do not stop the list: duplicates, allow entries that allow nothing. */
  warnings: WordListProblem[];
}

export interface ParseOptions {
  /**
   * The lists this one is matched with, for the "allows nothing" warning (allow entries apply
   * to the hits of every list). Default: the shipped lists.
   */
  others?: readonly CompiledList[];
}

const CATEGORY_SET = new Set<string>(CATEGORIES);
const MODE_SET = new Set<string>(MATCH_MODES);

/**
 * Parses and compiles a list text. Never throws for bad content: every problem comes back in
 * `errors` with its line number (and `list` is null then).
 */
export function parseWordListText(text: string, name: string, options: ParseOptions = {}): ParsedWordList {
  const entries: WordListEntry[] = [];
  const allow: AllowEntry[] = [];
  const errors: WordListProblem[] = [];
  const result = (list: CompiledList | null, warnings: WordListProblem[] = []): ParsedWordList => ({
    name, list, entries, allow, errors: errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)), warnings,
  });

  if (typeof text !== 'string') {
    errors.push({ line: null, entry: null, term: null, ...problemText('not_a_string') });
    return result(null);
  }
  if (text.length > MAX_SOURCE_LENGTH) {
    errors.push({ line: null, entry: null, term: null, ...problemText('text_too_long', { length: text.length, max: MAX_SOURCE_LENGTH }) });
    return result(null);
  }

  let line = 0;
  let pos = 0;
  let count = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    let raw = text.slice(pos, nl);
    pos = nl + 1;
    line++;
    if (line === 1 && raw.charCodeAt(0) === 0xfeff) raw = raw.slice(1);
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (trimmed.length > MAX_LINE_LENGTH) {
      errors.push({ line, entry: null, term: trimmed.slice(0, 40), ...problemText('line_too_long', { max: MAX_LINE_LENGTH }) });
      continue;
    }
    if (++count > WORD_LIST_LIMITS.maxEntries) {
      errors.push({ line, entry: null, term: null, ...problemText('too_many_lines', { max: WORD_LIST_LIMITS.maxEntries }) });
      break;
    }
    const parsed = parseLine(trimmed);
    if ('error' in parsed) {
      errors.push({ line, entry: null, term: parsed.term ?? null, ...parsed.error });
      continue;
    }
    if (parsed.category === 'allow') allow.push({ term: parsed.term, mode: parsed.mode, line });
    else entries.push({ term: parsed.term, category: parsed.category, mode: parsed.mode, line });
  }

  // Compile whatever parsed, so that the author sees every problem at once (unless the list is
  // over the size limit: then that is the one thing to fix).
  if (count > WORD_LIST_LIMITS.maxEntries) return result(null);
  try {
    const list = compileWordList(entries, allow, name, { others: options.others ?? loadShippedLists() });
    return result(errors.length === 0 ? list : null, [...list.warnings]);
  } catch (e) {
    if (!(e instanceof WordListError)) throw e;
    errors.push(...e.problems);
    return result(null);
  }
}

type ParsedLine =
  | { category: Category | 'allow'; mode: MatchMode; term: string }
  | { error: ProblemText; term?: string };

function parseLine(line: string): ParsedLine {
  let head: string;
  let modeField: string | null = null;
  let term: string;
  if (line.includes('\t')) {
    const fields = line.split('\t').map((f) => f.trim()).filter((f) => f !== '');
    if (fields.length > 3) return { error: problemText('too_many_fields', { count: fields.length }) };
    head = fields[0];
    if (fields.length === 3) {
      modeField = fields[1];
      term = fields[2];
    } else term = fields[1] ?? '';
  } else {
    const sp = line.search(/\s/);
    head = sp < 0 ? line : line.slice(0, sp);
    const rest = sp < 0 ? '' : line.slice(sp).trimStart();
    const sp2 = rest.search(/\s/);
    const second = sp2 < 0 ? rest : rest.slice(0, sp2);
    if (MODE_SET.has(second.toLowerCase())) {
      modeField = second;
      term = sp2 < 0 ? '' : rest.slice(sp2).trim();
    } else term = rest;
  }
  const category = head.toLowerCase();
  if (category !== 'allow' && !CATEGORY_SET.has(category)) {
    return { error: problemText('unknown_category', { category: head, expected: CATEGORIES.join(', '), orAllow: 1 }), term: term || undefined };
  }
  let mode: MatchMode = 'part';
  if (modeField !== null) {
    const m = modeField.toLowerCase();
    if (!MODE_SET.has(m)) return { error: problemText('unknown_mode', { mode: modeField, expected: MATCH_MODES.join(', ') }), term };
    mode = m as MatchMode;
  }
  if (term === '') return { error: problemText('no_term', { head: `${head}${modeField ? ' ' + modeField : ''}` }) };
  return { category: category as Category | 'allow', mode, term };
}

/** The text of a shipped list (read-only; a workspace may copy it into a list of its own). */
export function readShippedListText(name: ShippedListName): string {
  return readFileSync(new URL(`./${name}.txt`, import.meta.url), 'utf8');
}

let shippedCache: CompiledList[] | null = null;

/** The shipped German and English lists, compiled once per process. Throws if a file is broken. */
export function loadShippedLists(): CompiledList[] {
  if (shippedCache === null) {
    shippedCache = SHIPPED_LIST_NAMES.map((name) => {
      const parsed = parseWordListText(readShippedListText(name), name, { others: [] });
      if (parsed.list === null) {
        throw new Error(`Shipped word list ${name}.txt is broken:\n${parsed.errors.slice(0, 20).map((p) => `  ${describeProblem(p)}`).join('\n')}`);
      }
      return parsed.list;
    });
  }
  return [...shippedCache];
}
