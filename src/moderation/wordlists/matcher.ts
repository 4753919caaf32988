// Word-list matching that resists evasion and runs in linear time.
//
// How a text is matched
//   1. The text is normalised (`normaliseForReading`) and folded (`foldText`) exactly as the
//      pipeline does for every item, so case, diacritics, umlauts (ä→ae), leetspeak (H4ss),
//      homoglyphs (Cyrillic "Іdiot"), invisible characters (Id\u200Biot), spaced-out letters
//      (I d i o t) and elongation (Idiooooot → idioot) are already gone. List terms go through the
//      very same two functions, so a term and a text meet on one spelling.
//   2. `alignFolded` recovers, for every code unit of the folded text, which code point of the
//      normalised text it came from: normalise.ts exposes no such map, so the two strings are
//      aligned in one greedy pass that asks foldText itself how each character folds (see there).
//      Offsets in hits therefore point into the text a person reads.
//   3. The folded text becomes a matching key: hyphens, underscores, commas, semicolons and colons
//      count as spaces and a run of spaces as one ("Drecks-Idiot", "online-casino", "ich weiß, wo
//      du wohnst"); typographic apostrophes count as "'". Where the folder cut a run of 3+ letters
//      to 2 ("idioot"), we cannot know whether the writer meant one letter or two, so a second key
//      with such pairs cut to one ("idiot") is matched as well ("Hasssss" still meets "hass" in
//      the first key).
//   4. An Aho–Corasick automaton per list (built here, no dependency) finds every term in one pass:
//      O(text + candidates), independent of the list size and without any backtracking. Each term
//      has a mode:
//        part  anywhere, also inside compounds ("idiot" in "Vollidiot", "Drecksidiot")
//        word  whole word or phrase only ("arsch" spares "Marsch", "Warschau")
//        start must begin at a word start, may run on ("kill you" in "kill yourself", not "skill you")
//        end   must end at a word end, may begin inside a word
//   5. Allow entries are innocent words that contain a term ("Scunthorpe", "Schlamperei"). Each
//      list has its own (written and edited with the list), matched by the same automaton; a term
//      hit that lies completely inside an allow hit is dropped — whichever list the allow entry
//      and the term belong to, because "this word is innocent" does not depend on the list that
//      flags it. That is also how a workspace switches off a false friend of the shipped lists,
//      which it cannot edit: an allow entry in a list of its own.
//   6. Links and @handles are read as blanks: their letter soup ("youtube.com/watch?v=…5lUt",
//      "@Jani_Depp") is not what the writer said.
//   7. Among the hits left, a hit that lies inside another hit of the same category is dropped
//      ("Hurensohn" reports "hurensohn", not also "hure"; an identical span found by a second list
//      is reported once, by the first list).
//
// Not caught, on purpose or for now: umlauts put on a term's plain vowels ("Idiöt" folds to
// "idioet"), letters split by other characters than foldText's separators ("Id.iot", "Id iot"),
// and masked spellings ("F*ck") unless listed as terms of their own.
//
// Limits (clear errors, bounded time and memory): at most 200,000 entries per list, terms at most
// 100 folded characters, 5,000,000 folded characters per list, part/start/end terms at least 3
// folded characters, word terms at least 2. A match call reports at most `maxHits` hits (default
// 1,000) and stops collecting candidates after 16 × maxHits.

import { foldText, normaliseForReading } from '../../core/text/normalise.js';
import { CATEGORIES, type Category, type WordHit } from '../types.js';
import { problemText, type ProblemText } from './messages.js';

export const MATCH_MODES = ['part', 'word', 'start', 'end'] as const;
export type MatchMode = (typeof MATCH_MODES)[number];

export interface WordListEntry {
  term: string;
  category: Category;
  mode?: MatchMode; // default 'part'
  line?: number; // where it was written, for error messages
}

export interface AllowEntry {
  term: string;
  mode?: MatchMode; // default 'part'
  line?: number;
}

export interface WordListProblem {
  line: number | null; // line in the list text, when known
  entry: number | null; // 1-based position in the entries (or allow) array, when no line is known
  term: string | null;
  /** Stable code of the problem (see ./messages.ts), with the English and the German text. */
  code: string;
  message: string;
  messageDe: string;
}

export const WORD_LIST_LIMITS = {
  maxEntries: 200_000,
  maxTermLength: 100,
  maxTotalChars: 5_000_000,
  minPartLength: 3,
  minWordLength: 2,
  defaultMaxHits: 1_000,
} as const;

/** Thrown by compileWordList; `problems` lists every problem found, each with its line or entry. */
export class WordListError extends Error {
  readonly list: string;
  readonly problems: WordListProblem[];
  constructor(list: string, problems: WordListProblem[]) {
    const shown = problems.slice(0, 20).map((p) => `  ${describeProblem(p)}`);
    if (problems.length > shown.length) shown.push(`  … and ${problems.length - shown.length} more`);
    super(`Word list "${list}" has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${shown.join('\n')}`);
    this.name = 'WordListError';
    this.list = list;
    this.problems = problems;
  }
}

export function describeProblem(p: WordListProblem): string {
  const where = p.line !== null ? `line ${p.line}` : p.entry !== null ? `entry ${p.entry}` : 'list';
  const what = p.term !== null ? ` ("${p.term.length > 60 ? p.term.slice(0, 60) + '…' : p.term}")` : '';
  return `${where}${what}: ${p.message}`;
}

// ---------------------------------------------------------------------------------------------
// Folding with a map back to the normalised text

export interface FoldMap {
  normalised: string;
  folded: string;
  /** For each UTF-16 unit of `folded`: the normalised code point it came from, [start, end). */
  srcStart: Int32Array;
  srcEnd: Int32Array;
  /** 1 at the second letter of a pair that foldText cut from a longer run ("idioooot" → "idioot"). */
  elastic: Uint8Array;
  /** Units not explained by a known per-character fold (0 on ordinary text; a few in runs of Greek sigma). */
  fallbacks: number;
}

// The characters foldText's spaced-letter step removes between joined letters.
const SPACED_SEPARATORS = new Set([0x20, 0x2e, 0x2d, 0x5f, 0x2a, 0xb7, 0x2f, 0x2022]);

/**
 * The two ways foldText can render one code point: `plain` (lower-cased, umlauts transliterated,
 * diacritics removed) and `sub` (additionally as a homoglyph or leetspeak letter). Both are taken
 * from foldText itself — `plain` from the character alone, `sub` from the character between two
 * Latin letters, where every substitution applies — so this stays true to normalise.ts.
 */
function probe(ch: string): [plain: string, sub: string] {
  const alone = /^\s$/u.test(ch) ? ' ' : foldText(ch);
  const between = foldText(`x${ch}y`);
  const sub = between.length >= 2 && between[0] === 'x' && between[between.length - 1] === 'y' ? between.slice(1, -1) : alone;
  return [alone, sub];
}

const ASCII_PLAIN: string[] = [];
const ASCII_SUB: string[] = [];
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  if (c >= 0x41 && c <= 0x5a) {
    ASCII_PLAIN.push(ch.toLowerCase());
    ASCII_SUB.push(ch.toLowerCase());
  } else if (c >= 0x61 && c <= 0x7a) {
    ASCII_PLAIN.push(ch);
    ASCII_SUB.push(ch);
  } else {
    ASCII_PLAIN.push(c === 0x20 ? ' ' : ch);
    ASCII_SUB.push(probe(ch)[1]);
  }
}

const probeCache = new Map<string, [string, string]>();
function candidates(ch: string): [string, string] {
  let v = probeCache.get(ch);
  if (v === undefined) {
    v = probe(ch);
    if (probeCache.size < 20_000) probeCache.set(ch, v);
  }
  return v;
}

/**
 * Folds `normalised` (or takes its fold, if the caller already has it) and records where each
 * folded unit came from. Linear: one greedy pass over both strings. foldText only ever
 * (a) maps a code point to a short string, (b) drops the separators between spaced-out letters,
 * (c) drops letters beyond the second of a run, and (d) drops combining marks; the pass recognises
 * each of these. Anything else it maps one unit to one code point and counts in `fallbacks`.
 */
export function alignFolded(normalised: string, folded: string = foldText(normalised)): FoldMap {
  const F = folded.length;
  const srcStart = new Int32Array(F);
  const srcEnd = new Int32Array(F);
  const elastic = new Uint8Array(F);
  const st: AlignState = { j: 0, prev: -1, run: 0, fallbacks: 0 };
  const n = normalised.length;
  for (let i = 0; i < n; ) {
    const cu = normalised.charCodeAt(i);
    const wide = cu >= 0xd800 && cu <= 0xdbff && i + 1 < n && (normalised.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    const e = wide ? i + 2 : i + 1;
    let plain: string;
    let sub: string;
    if (cu < 128) {
      plain = ASCII_PLAIN[cu];
      sub = ASCII_SUB[cu];
    } else {
      [plain, sub] = candidates(normalised.slice(i, e));
    }
    // A candidate that produces output wins over one that the squeeze step would swallow whole.
    const sigma = cu === 0x3a3 || cu === 0x3c3; // Σ/σ may become a final ς
    if (
      !emit(plain, folded, st, i, e, srcStart, srcEnd, elastic, false) &&
      (sub === plain || !emit(sub, folded, st, i, e, srcStart, srcEnd, elastic, false)) &&
      !(sigma && emit('\u03c2', folded, st, i, e, srcStart, srcEnd, elastic, false)) &&
      !emit(plain, folded, st, i, e, srcStart, srcEnd, elastic, true) &&
      (sub === plain || !emit(sub, folded, st, i, e, srcStart, srcEnd, elastic, true))
    ) {
      if (plain.length === 0 && sub.length === 0) {
        // (d) a mark that folds to nothing
      } else if (SPACED_SEPARATORS.has(cu)) {
        // (b) removed between spaced-out letters (it never reached the squeeze step)
      } else if (st.j < F && folded.charCodeAt(st.j) !== 0x20) {
        // Unknown transformation: assume one for one.
        const fw = (folded.charCodeAt(st.j) & 0xfc00) === 0xd800 && st.j + 1 < F ? 2 : 1;
        st.prev = folded.codePointAt(st.j) ?? -1;
        st.run = 1;
        for (let k = st.j; k < st.j + fw; k++) {
          srcStart[k] = i;
          srcEnd[k] = e;
        }
        st.j += fw;
        st.fallbacks++;
      } else st.fallbacks++;
    }
    i = e;
  }
  for (let j = st.j; j < F; j++) {
    // Unexplained tail: point at the end of the text.
    srcStart[j] = n;
    srcEnd[j] = n;
    st.fallbacks++;
  }
  return { normalised, folded, srcStart, srcEnd, elastic, fallbacks: st.fallbacks };
}

interface AlignState {
  j: number; // next folded unit
  prev: number; // last code point of the stream before foldText's squeeze step
  run: number; // how often it stood there in a row
  fallbacks: number;
}

/**
 * Tries to explain `cand` (one code point's fold) at the current folded position, replaying
 * foldText's last step: a letter standing a third time (or more) in a row is dropped. On success
 * commits the mapping and the state; on failure changes nothing.
 */
function emit(
  cand: string, folded: string, st: AlignState, i: number, e: number,
  srcStart: Int32Array, srcEnd: Int32Array, elastic: Uint8Array, mayVanish: boolean,
): boolean {
  if (cand.length === 0) return false;
  let j = st.j;
  let prev = st.prev;
  let run = st.run;
  // First pass: check.
  for (let k = 0; k < cand.length; ) {
    const cp = cand.codePointAt(k) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    run = cp === prev ? run + 1 : 1;
    prev = cp;
    if (!(run > 2 && isLetterCp(cp))) {
      if (folded.codePointAt(j) !== cp) return false;
      j += w;
    }
    k += w;
  }
  if (j === st.j && !mayVanish) return false;
  // Second pass: commit.
  j = st.j;
  prev = st.prev;
  run = st.run;
  for (let k = 0; k < cand.length; ) {
    const cp = cand.codePointAt(k) ?? 0;
    const w = cp > 0xffff ? 2 : 1;
    run = cp === prev ? run + 1 : 1;
    prev = cp;
    if (run > 2 && isLetterCp(cp)) {
      if (j > 0) elastic[j - 1] = 1; // (c) the folder cut this letter from a run
    } else {
      for (let q = j; q < j + w; q++) {
        srcStart[q] = i;
        srcEnd[q] = e;
      }
      j += w;
    }
    k += w;
  }
  st.j = j;
  st.prev = prev;
  st.run = run;
  return true;
}

const LETTER_CP = /\p{L}/u;
const letterCpCache = new Map<number, boolean>();
function isLetterCp(cp: number): boolean {
  if (cp < 128) return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a);
  let v = letterCpCache.get(cp);
  if (v === undefined) {
    v = LETTER_CP.test(String.fromCodePoint(cp));
    if (letterCpCache.size < 20_000) letterCpCache.set(cp, v);
  }
  return v;
}

// ---------------------------------------------------------------------------------------------
// Matching keys

/**
 * Matching key unit for a folded unit: hyphens, dashes, underscores, commas, semicolons and
 * colons count as a space ("Drecks-Idiot", "online-casino", "ich weiß, wo du wohnst"), typographic
 * apostrophes as "'". A run of such spaces becomes one.
 */
function keyUnit(c: number): number {
  if (c === 0x2d || c === 0x5f || c === 0x2c || c === 0x3b || c === 0x3a || (c >= 0x2010 && c <= 0x2014)) return 0x20;
  if (c === 0x2019 || c === 0x2018 || c === 0x02bc || c === 0x60 || c === 0xb4) return 0x27;
  return c;
}

interface MatchKey {
  key: string;
  /** key unit → folded unit; null when they are the same */
  toFolded: Int32Array | null;
}

/**
 * Builds a matching key from folded text; `drop` marks folded units to leave out (elastic
 * letters), `mask` units to read as spaces (links and @handles).
 */
function buildKey(folded: string, drop: Uint8Array | null, mask: Uint8Array | null = null): MatchKey {
  const n = folded.length;
  if (drop === null && mask === null) {
    let same = true;
    for (let f = 0; f < n; f++) {
      const c = folded.charCodeAt(f);
      if (keyUnit(c) !== c || (c === 0x20 && f > 0 && folded.charCodeAt(f - 1) === 0x20)) {
        same = false;
        break;
      }
    }
    if (same) return { key: folded, toFolded: null };
  }
  const toFolded = new Int32Array(n);
  const units = new Uint16Array(n);
  let k = 0;
  let last = -1;
  for (let f = 0; f < n; f++) {
    if (drop !== null && drop[f] === 1) continue;
    const u = mask !== null && mask[f] === 1 ? 0x20 : keyUnit(folded.charCodeAt(f));
    if (u === 0x20 && last === 0x20) continue;
    units[k] = u;
    toFolded[k] = f;
    k++;
    last = u;
  }
  let key = '';
  for (let i = 0; i < k; i += 8192) key += String.fromCharCode.apply(null, units.subarray(i, Math.min(k, i + 8192)) as unknown as number[]);
  return { key, toFolded: toFolded.subarray(0, k) };
}

/**
 * foldText for list terms, with a shortcut for the common case of plain ASCII words (every one at
 * least two letters, no letter three times in a row): for those foldText only lower-cases.
 * A unit test checks the shortcut against foldText.
 */
export function foldTerm(term: string): string {
  // fastFold accepts only ASCII letters and single inner spaces, which normaliseForReading keeps.
  const fast = fastFold(term);
  if (fast !== null) return fast;
  const normalised = normaliseForReading(term);
  return fastFold(normalised) ?? foldText(normalised);
}

export function fastFold(s: string): string | null {
  if (s.length === 0) return null;
  let wordLen = 0;
  let prev = -1;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c === 0x20) {
      if (wordLen < 2) return null;
      wordLen = 0;
      prev = -1;
      run = 0;
      continue;
    }
    if (c >= 0x41 && c <= 0x5a) c += 0x20;
    else if (c < 0x61 || c > 0x7a) return null;
    wordLen++;
    run = c === prev ? run + 1 : 1;
    if (run >= 3) return null;
    prev = c;
  }
  if (wordLen < 2) return null;
  return s.toLowerCase();
}

/** The matching key of a list term (what the automaton stores). */
export function termKey(term: string): string {
  return buildKey(foldTerm(term), null).key.trim();
}

/**
 * Marks links (http://…, https://…, www.…) and @handles (@name, @name@server) in folded text, up
 * to the next space. Link paths and user names are full of letter soup ("watch?v=…5lUt", a
 * user called "@DerBrainfucker" or "@Jani_Depp") that is not what the writer said; links are
 * judged by the link checks, accounts by who they are. Returns null when there is nothing to mask.
 */
function maskLinksAndHandles(folded: string): Uint8Array | null {
  let mask: Uint8Array | null = null;
  const n = folded.length;
  for (let i = 0; i < n; i++) {
    const c = folded.charCodeAt(i);
    if (c !== 0x40 && c !== 0x68 && c !== 0x77) continue; // @ h w
    if (i > 0 && isWordAt(folded, i - 1)) continue;
    let link = false;
    if (c === 0x40) link = i + 1 < n && isWordAt(folded, i + 1);
    else if (c === 0x68) link = folded.startsWith('http://', i) || folded.startsWith('https://', i);
    else link = folded.startsWith('ww.', i); // foldText has cut "www" to "ww"
    if (!link) continue;
    mask ??= new Uint8Array(n);
    let j = i;
    while (j < n && folded.charCodeAt(j) !== 0x20) mask[j++] = 1;
    i = j;
  }
  return mask;
}

// Word characters for the word/start/end boundaries: letters, digits and marks of any script.
const WORD_CP = /[\p{L}\p{N}\p{M}]/u;
const wordCache = new Map<number, boolean>();
function isWordAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c < 128) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
  let cp = c;
  if ((c & 0xfc00) === 0xdc00 && i > 0) cp = s.codePointAt(i - 1) ?? c;
  else if ((c & 0xfc00) === 0xd800) cp = s.codePointAt(i) ?? c;
  let v = wordCache.get(cp);
  if (v === undefined) {
    v = WORD_CP.test(String.fromCodePoint(cp));
    if (wordCache.size < 20_000) wordCache.set(cp, v);
  }
  return v;
}

function hasWordChar(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (isWordAt(s, i)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// The compiled list: an Aho–Corasick automaton in flat typed arrays

const NEED_START = 1;
const NEED_END = 2;
const MODE_FLAGS: Record<MatchMode, number> = { part: 0, word: NEED_START | NEED_END, start: NEED_START, end: NEED_END };
const CATEGORY_INDEX = new Map<string, number>(CATEGORIES.map((c, i) => [c, i]));
const ALLOW = -1;
const UNKNOWN = -2;

interface RawHit {
  pat: number;
  start: number; // key coordinates
  end: number;
}

export interface CompiledListStats {
  terms: number;
  allow: number;
  nodes: number;
  /** Bytes held by the automaton's typed arrays (strings of the terms not included). */
  bytes: number;
}

export class CompiledList {
  readonly name: string;
  /** Problems that do not stop the list from working: duplicates, allow entries that allow nothing. */
  readonly warnings: readonly WordListProblem[];
  readonly terms: number;
  readonly allowEntries: number;

  // Patterns (terms and allow entries), by id.
  readonly #patLen: Int32Array;
  readonly #patCat: Int8Array;
  readonly #patFlags: Uint8Array;
  readonly #patTerm: string[];
  readonly #patNext: Int32Array; // next pattern ending at the same node, or -1
  readonly #a: Automaton;

  /** @internal use compileWordList */
  constructor(name: string, table: PatternTable, warnings: WordListProblem[]) {
    this.name = name;
    const keys = table.keys;
    const P = keys.length;
    this.#patLen = new Int32Array(P);
    this.#patCat = new Int8Array(P);
    this.#patFlags = new Uint8Array(P);
    this.#patTerm = table.terms;
    let terms = 0;
    for (let p = 0; p < P; p++) {
      this.#patLen[p] = keys[p].length;
      this.#patCat[p] = table.cats[p];
      this.#patFlags[p] = table.flags[p];
      if (table.cats[p] !== ALLOW) terms++;
    }
    this.terms = terms;
    this.allowEntries = P - terms;
    const { automaton, patNext } = buildAutomaton(keys);
    this.#a = automaton;
    this.#patNext = patNext;
    this.warnings = warnings;
  }

  stats(): CompiledListStats {
    const a = this.#a;
    const bytes =
      this.#patLen.byteLength + this.#patCat.byteLength + this.#patFlags.byteLength + this.#patNext.byteLength +
      a.rootNext.byteLength + a.childStart.byteLength + a.childLabel.byteLength + a.childNode.byteLength +
      a.fail.byteLength + a.nodeOut.byteLength + a.dictLink.byteLength;
    return { terms: this.terms, allow: this.allowEntries, nodes: a.fail.length, bytes };
  }

  /**
   * One pass over a matching key. Term hits go to `hits`, allow hits to `allows` (both in key
   * coordinates, boundaries already checked). Returns false when `limit` candidates were reached.
   */
  scan(key: string, hits: RawHit[], allows: RawHit[], limit: number): boolean {
    const n = key.length;
    const { rootNext, childStart, childLabel, childNode, fail, nodeOut, dictLink } = this.#a;
    const patNext = this.#patNext;
    const patLen = this.#patLen;
    const patFlags = this.#patFlags;
    const patCat = this.#patCat;
    let node = 0;
    let count = 0;
    for (let i = 0; i < n; i++) {
      const a = key.charCodeAt(i);
      // Go to the child labelled a, following failure links until one exists (the root always has one).
      for (;;) {
        if (node === 0) {
          node = rootNext[a];
          break;
        }
        const g = findChild(childStart, childLabel, childNode, node, a);
        if (g >= 0) {
          node = g;
          break;
        }
        node = fail[node];
      }
      let o = nodeOut[node] >= 0 ? node : dictLink[node];
      while (o >= 0) {
        for (let p = nodeOut[o]; p >= 0; p = patNext[p]) {
          const end = i + 1;
          const start = end - patLen[p];
          const flags = patFlags[p];
          if ((flags & NEED_START) !== 0 && start > 0 && isWordAt(key, start - 1) && isWordAt(key, start)) continue;
          if ((flags & NEED_END) !== 0 && end < n && isWordAt(key, end) && isWordAt(key, end - 1)) continue;
          (patCat[p] === ALLOW ? allows : hits).push({ pat: p, start, end });
          if (++count >= limit) return false;
        }
        o = dictLink[o];
      }
    }
    return true;
  }

  /** @internal */
  patternInfo(p: number): { term: string; category: Category | null } {
    const c = this.#patCat[p];
    return { term: this.#patTerm[p], category: c === ALLOW ? null : CATEGORIES[c] };
  }
}

/** An Aho–Corasick automaton in flat typed arrays. Node 0 is the root. */
interface Automaton {
  rootNext: Int32Array; // 65,536 entries: the root's child per UTF-16 unit, 0 = stay at the root
  childStart: Int32Array; // children of node u: childStart[u] .. childStart[u + 1] - 1
  childLabel: Uint16Array; // sorted by label within a node when it has more than LINEAR children
  childNode: Int32Array;
  fail: Int32Array;
  nodeOut: Int32Array; // first pattern ending at the node, or -1
  dictLink: Int32Array; // nearest node on the failure chain where a pattern ends, or -1
}

const LINEAR = 8;

function findChild(childStart: Int32Array, childLabel: Uint16Array, childNode: Int32Array, node: number, a: number): number {
  let lo = childStart[node];
  let hi = childStart[node + 1] - 1;
  if (hi - lo < LINEAR) {
    for (let k = lo; k <= hi; k++) if (childLabel[k] === a) return childNode[k];
    return -1;
  }
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const l = childLabel[mid];
    if (l === a) return childNode[mid];
    if (l < a) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * Builds the automaton in O(total key length): the trie through an open-addressing hash table of
 * (parent, unit) → child in typed arrays (no per-node objects, no sorting of the keys), then the
 * children in CSR form, then failure and dictionary links breadth first. Each phase is a function
 * of its own, so that V8 optimises each loop on its own (one big function deoptimised at every
 * phase change and compiled 100,000 entries several times slower).
 */
function buildAutomaton(keys: string[]): { automaton: Automaton; patNext: Int32Array } {
  const trie = buildTrie(keys);
  const { childStart, childLabel, childNode } = buildChildren(trie.parent, trie.label, trie.nodes);
  sortWideNodes(childStart, childLabel, childNode, trie.nodes);
  const rootNext = new Int32Array(65536);
  for (let k = childStart[0]; k < childStart[1]; k++) rootNext[childLabel[k]] = childNode[k];
  const nodeOut = trie.nodeOut.slice(0, trie.nodes);
  const { fail, dictLink } = buildFailLinks(rootNext, childStart, childLabel, childNode, nodeOut, trie.nodes);
  return { automaton: { rootNext, childStart, childLabel, childNode, fail, nodeOut, dictLink }, patNext: trie.patNext };
}

function buildTrie(keys: string[]) {
  const P = keys.length;
  let totalChars = 0;
  for (let p = 0; p < P; p++) totalChars += keys[p].length;
  const maxNodes = totalChars + 1;
  // Hash table at load ≤ 0.5.
  let cap = 16;
  while (cap < maxNodes * 2) cap *= 2;
  const mask = cap - 1;
  // One slot = three consecutive int32 (parent, label, child): one cache line per probe.
  const table = new Int32Array(cap * 3).fill(-1);
  const parent = new Int32Array(maxNodes);
  const label = new Uint16Array(maxNodes);
  const nodeOut = new Int32Array(maxNodes).fill(-1);
  const lastOut = new Int32Array(maxNodes).fill(-1);
  const patNext = new Int32Array(P).fill(-1);
  parent[0] = -1;
  let nodes = 1;
  for (let p = 0; p < P; p++) {
    const key = keys[p];
    let node = 0;
    for (let d = 0; d < key.length; d++) {
      const a = key.charCodeAt(d);
      let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(a + 1, 0x85ebca77)) & mask;
      for (;;) {
        const at = h * 3;
        const hp = table[at];
        if (hp === -1) {
          const child = nodes++;
          table[at] = node;
          table[at + 1] = a;
          table[at + 2] = child;
          parent[child] = node;
          label[child] = a;
          node = child;
          break;
        }
        if (hp === node && table[at + 1] === a) {
          node = table[at + 2];
          break;
        }
        h = (h + 1) & mask;
      }
    }
    if (nodeOut[node] < 0) nodeOut[node] = p;
    else patNext[lastOut[node]] = p;
    lastOut[node] = p;
  }
  return { parent, label, nodeOut, patNext, nodes };
}

/** Children in CSR form, in creation order. */
function buildChildren(parent: Int32Array, label: Uint16Array, nodes: number) {
  const childStart = new Int32Array(nodes + 1);
  for (let v = 1; v < nodes; v++) childStart[parent[v] + 1]++;
  for (let u = 0; u < nodes; u++) childStart[u + 1] += childStart[u];
  const childLabel = new Uint16Array(Math.max(nodes - 1, 0));
  const childNode = new Int32Array(Math.max(nodes - 1, 0));
  const cursor = childStart.slice(0, nodes);
  for (let v = 1; v < nodes; v++) {
    const pos = cursor[parent[v]]++;
    childLabel[pos] = label[v];
    childNode[pos] = v;
  }
  return { childStart, childLabel, childNode };
}

/** Nodes with more than LINEAR children get them sorted by label, for binary search. */
function sortWideNodes(childStart: Int32Array, childLabel: Uint16Array, childNode: Int32Array, nodes: number): void {
  let scratch: Float64Array | null = null;
  for (let u = 0; u < nodes; u++) {
    const lo = childStart[u];
    const hi = childStart[u + 1];
    if (hi - lo <= LINEAR) continue;
    scratch ??= new Float64Array(Math.min(nodes, 65536));
    const seg = scratch.subarray(0, hi - lo);
    for (let k = lo; k < hi; k++) seg[k - lo] = childLabel[k] * 0x100000000 + childNode[k];
    seg.sort();
    for (let k = lo; k < hi; k++) {
      const x = seg[k - lo];
      const l = Math.floor(x / 0x100000000);
      childLabel[k] = l;
      childNode[k] = x - l * 0x100000000;
    }
  }
}

/** Failure and dictionary links, breadth first. */
function buildFailLinks(
  rootNext: Int32Array, childStart: Int32Array, childLabel: Uint16Array, childNode: Int32Array, nodeOut: Int32Array, nodes: number,
) {
  const fail = new Int32Array(nodes);
  const dictLink = new Int32Array(nodes).fill(-1);
  const queue = new Int32Array(nodes);
  let qh = 0;
  let qt = 0;
  for (let k = childStart[0]; k < childStart[1]; k++) queue[qt++] = childNode[k];
  while (qh < qt) {
    const u = queue[qh++];
    const fu = fail[u];
    for (let k = childStart[u]; k < childStart[u + 1]; k++) {
      const v = childNode[k];
      const a = childLabel[k];
      let f = fu;
      let g: number;
      for (;;) {
        if (f === 0) {
          g = rootNext[a];
          break;
        }
        g = findChild(childStart, childLabel, childNode, f, a);
        if (g >= 0) break;
        f = fail[f];
      }
      fail[v] = g;
      dictLink[v] = nodeOut[g] >= 0 ? g : dictLink[g];
      queue[qt++] = v;
    }
  }
  return { fail, dictLink };
}

export interface CompileOptions {
  /**
   * Lists this one will be matched together with (e.g. the shipped lists for a workspace list):
   * an allow entry that contains a term of one of them is not reported as allowing nothing.
   */
  others?: readonly CompiledList[];
}

/** The patterns of a list as parallel arrays (terms first, then allow entries). */
interface PatternTable {
  keys: string[];
  terms: string[];
  cats: number[]; // index into CATEGORIES, or ALLOW
  flags: number[];
  lines: (number | null)[]; // line, or null
  index: number[]; // 1-based position in the entries or allow array
}

// ---------------------------------------------------------------------------------------------
// Compiling

/**
 * Validates and compiles one list. Throws a WordListError naming the line (or entry number) of
 * every problem: empty terms, unknown categories or modes, terms too short for their mode or too
 * long, too many entries or characters, an allow entry identical to a term.
 */
export function compileWordList(
  entries: readonly WordListEntry[],
  allow: readonly (string | AllowEntry)[],
  name: string,
  options: CompileOptions = {},
): CompiledList {
  if (!Array.isArray(entries) || !Array.isArray(allow)) {
    throw new WordListError(name, [{ line: null, entry: null, term: null, ...problemText('not_arrays') }]);
  }
  const total = entries.length + allow.length;
  if (total > WORD_LIST_LIMITS.maxEntries) {
    throw new WordListError(name, [{
      line: null, entry: null, term: null,
      ...problemText('too_many_entries', { count: total, max: WORD_LIST_LIMITS.maxEntries }),
    }]);
  }

  const problems: WordListProblem[] = [];
  const warnings: WordListProblem[] = [];
  const table: PatternTable = { keys: [], terms: [], cats: [], flags: [], lines: [], index: [] };
  const firstWithKey = new Map<string, number>(); // key → first pattern with it
  const sameKeyNext: number[] = []; // pattern → next pattern with the same key, or -1
  let totalChars = 0;

  // Kept allocation-light: this runs 100,000s of times for big lists.
  const problem = (line: number | null, index: number | null, term: string | null, text: ProblemText) =>
    problems.push({ line, entry: line === null ? index : null, term, ...text });

  const add = (raw: unknown, modeRaw: unknown, cat: number, line: number | null, index: number) => {
    const isAllow = cat === ALLOW;
    if (typeof raw !== 'string' || raw.trim() === '') {
      problem(line, index, typeof raw === 'string' ? raw : null, problemText(isAllow ? 'empty_allow' : 'empty_term'));
      return;
    }
    const term = raw.trim();
    if (modeRaw !== undefined && (typeof modeRaw !== 'string' || !Object.hasOwn(MODE_FLAGS, modeRaw))) {
      problem(line, index, term, problemText('unknown_mode', { mode: String(modeRaw), expected: MATCH_MODES.join(', ') }));
      return;
    }
    const mode = (modeRaw ?? 'part') as MatchMode;
    if (term.length > WORD_LIST_LIMITS.maxTermLength * 4) {
      problem(line, index, term, problemText('term_too_long', { max: WORD_LIST_LIMITS.maxTermLength }));
      return;
    }
    const key = termKey(term);
    const min = mode === 'word' ? WORD_LIST_LIMITS.minWordLength : WORD_LIST_LIMITS.minPartLength;
    if (key.length < min) {
      problem(line, index, term, problemText('folds_too_short', { key, length: key.length, mode, min }));
      return;
    }
    if (key.length > WORD_LIST_LIMITS.maxTermLength) {
      problem(line, index, term, problemText('folds_too_long', { length: key.length, max: WORD_LIST_LIMITS.maxTermLength }));
      return;
    }
    if (!hasWordChar(key)) {
      problem(line, index, term, problemText('no_letter'));
      return;
    }
    if (cat === UNKNOWN) return; // the term was still checked, so that every problem shows at once
    const flags = MODE_FLAGS[mode];
    const first = firstWithKey.get(key);
    let last = -1;
    for (let q = first ?? -1; q >= 0; q = sameKeyNext[q]) {
      last = q;
      if (isAllow !== (table.cats[q] === ALLOW)) {
        const other = table.terms[q];
        problem(line, index, term, problemText(isAllow ? 'allow_same_as_term' : 'term_same_as_allow', { other }));
        return;
      }
      if (table.cats[q] === cat && table.flags[q] === flags) {
        const ql = table.lines[q];
        warnings.push({
          line, entry: line === null ? index : null, term,
          ...problemText('duplicate', { line: ql ?? '', entry: table.index[q] }),
        });
        return;
      }
    }
    const p = table.keys.length;
    if (last < 0) firstWithKey.set(key, p);
    else sameKeyNext[last] = p;
    sameKeyNext.push(-1);
    table.keys.push(key);
    table.terms.push(term);
    table.cats.push(cat);
    table.flags.push(flags);
    table.lines.push(line);
    table.index.push(index);
    totalChars += key.length;
  };

  for (let i = 0; i < entries.length; i++) {
    const entry: unknown = entries[i];
    if (typeof entry !== 'object' || entry === null) {
      problem(null, i + 1, null, problemText('not_an_object'));
      continue;
    }
    const e = entry as Record<string, unknown>;
    const line = typeof e.line === 'number' ? e.line : null;
    let cat = CATEGORY_INDEX.get(e.category as string);
    if (cat === undefined) {
      problem(line, i + 1, typeof e.term === 'string' ? e.term : null, problemText('unknown_category', { category: String(e.category), expected: CATEGORIES.join(', ') }));
      cat = UNKNOWN;
    }
    add(e.term, e.mode, cat, line, i + 1);
  }
  const termCount = table.keys.length;
  for (let i = 0; i < allow.length; i++) {
    const a: unknown = allow[i];
    if (typeof a === 'string') add(a, undefined, ALLOW, null, i + 1);
    else if (typeof a === 'object' && a !== null) {
      const o = a as Record<string, unknown>;
      add(o.term, o.mode, ALLOW, typeof o.line === 'number' ? o.line : null, i + 1);
    } else problem(null, i + 1, null, problemText('allow_not_string_or_object'));
  }

  if (totalChars > WORD_LIST_LIMITS.maxTotalChars) {
    problems.push({
      line: null, entry: null, term: null,
      ...problemText('too_many_chars', { count: totalChars, max: WORD_LIST_LIMITS.maxTotalChars }),
    });
  }
  if (problems.length > 0) throw new WordListError(name, problems);

  const list = new CompiledList(name, table, warnings);

  // Allow entries that contain no term of the list have no effect: say so.
  const hits: RawHit[] = [];
  const allows: RawHit[] = [];
  for (let p = termCount; p < table.keys.length; p++) {
    hits.length = 0;
    allows.length = 0;
    list.scan(table.keys[p], hits, allows, 10_000);
    for (const other of options.others ?? []) if (hits.length === 0) other.scan(table.keys[p], hits, allows, 10_000);
    if (hits.length === 0) {
      const line = table.lines[p];
      warnings.push({ line, entry: line === null ? table.index[p] : null, term: table.terms[p], ...problemText('allow_no_effect', { others: options.others?.length ? 1 : 0 }) });
    }
  }
  return list;
}

// ---------------------------------------------------------------------------------------------
// Matching

export interface MatchOptions {
  /** At most this many hits are returned (default 1,000). */
  maxHits?: number;
  /** Read links and @handles as blanks (default true). */
  skipLinksAndHandles?: boolean;
}

/** Matches a raw text (it is normalised here; offsets refer to normaliseForReading(text)). */
export function matchText(lists: readonly CompiledList[], text: string, options: MatchOptions = {}): WordHit[] {
  return matchNormalised(lists, normaliseForReading(text), options);
}

/**
 * Matches an already normalised text. Pass `folded` when you have it (normaliseText's `folded`
 * for this very `normalised`) to save folding twice. Offsets are UTF-16 offsets into `normalised`.
 */
export function matchNormalised(
  lists: readonly CompiledList[],
  normalised: string,
  options: MatchOptions & { folded?: string } = {},
): WordHit[] {
  if (lists.length === 0 || normalised.length === 0) return [];
  const maxHits = Math.max(1, Math.floor(options.maxHits ?? WORD_LIST_LIMITS.defaultMaxHits));
  const map = alignFolded(normalised, options.folded ?? foldText(normalised));
  // First key: the folded text as it is; second key (only when foldText cut letter runs):
  // those runs cut to one letter.
  const mask = options.skipLinksAndHandles === false ? null : maskLinksAndHandles(map.folded);
  const passes: MatchKey[] = [buildKey(map.folded, null, mask)];
  if (map.elastic.includes(1)) passes.push(buildKey(map.folded, map.elastic, mask));

  const limit = maxHits * 16;
  const found: { list: CompiledList; listIndex: number; pat: number; start: number; end: number }[] = [];
  for (const { key, toFolded } of passes) {
    // Allow entries of every list apply to the hits of every list (see the top of this file).
    const allows: RawHit[] = [];
    const perList = lists.map((list) => {
      const hits: RawHit[] = [];
      list.scan(key, hits, allows, limit);
      return hits;
    });
    const allowed = allows.length === 0 ? null : notInside(allows);
    perList.forEach((hits, listIndex) => {
      for (const h of hits) {
        if (allowed !== null && !allowed(h)) continue;
        // key → folded → normalised
        const fs = toFolded === null ? h.start : toFolded[h.start];
        const fe = toFolded === null ? h.end - 1 : toFolded[h.end - 1];
        found.push({ list: lists[listIndex], listIndex, pat: h.pat, start: map.srcStart[fs], end: map.srcEnd[fe] });
      }
    });
  }

  // Same category: drop hits inside another hit (and repeats of the same span).
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.listIndex - b.listIndex || a.pat - b.pat);
  const maxEnd = new Map<Category, number>();
  const out: WordHit[] = [];
  for (const f of found) {
    const info = f.list.patternInfo(f.pat);
    const category = info.category as Category;
    const m = maxEnd.get(category);
    if (m !== undefined && m >= f.end) continue;
    maxEnd.set(category, f.end);
    out.push({ list: f.list.name, category, term: info.term, matched: normalised.slice(f.start, f.end), start: f.start, end: f.end });
    if (out.length >= maxHits) break;
  }
  return out;
}

/** A filter: true for hits that lie inside no allow hit. */
function notInside(allows: RawHit[]): (h: RawHit) => boolean {
  allows.sort((a, b) => a.start - b.start);
  const maxEnd = new Int32Array(allows.length);
  let m = -1;
  for (let k = 0; k < allows.length; k++) {
    m = Math.max(m, allows[k].end);
    maxEnd[k] = m;
  }
  return (h) => {
    // Last allow hit starting at or before h.start.
    let lo = 0;
    let hi = allows.length - 1;
    let idx = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (allows[mid].start <= h.start) {
        idx = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return idx < 0 || maxEnd[idx] < h.end;
  };
}
