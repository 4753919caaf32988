// Compiled rules and their evaluation: which rules apply to an item, with actions, reason and
// evidence. See parse.ts for the language.
//
// Speed: conditions are compiled to closures; the `text matches` regexes of a rule set run
// together in one RE2Set pass per item (computed on first use), so an item costs one scan of its
// text however many regex rules there are. Evidence is collected only for rules that apply, in a
// second, slower walk that also finds the matched words and text.
//
// Bounded time: every regex is RE2 (re2js): linear in the text, never backtracking. Rules look at
// the first LIMITS.textChars characters of an item; the regex set looks at fewer when its regexes
// are very large together (work = characters × RE2 size ≤ LIMITS.textRegexWork; the compiler
// warns when that leaves fewer than 20,000). `contains` lists and regexes on other fields
// (author.handle, links, domains) share a work budget per item (characters × needles, characters ×
// RE2 size); once it is used up they count as not matching and the verdicts say the evaluation
// was partial. Finding the matched text for evidence has a budget of its own. Measured worst cases
// (hand-made pathological rules on a hostile 100,000-character text) stay around a second per item;
// ordinary rule sets take microseconds.
import { RE2Set, type RE2JS } from 're2js';
import { foldText } from '../../core/text/normalise.js';
import { CATEGORIES, type Category, type Label, type RuleActionSpec, type RuleInput } from '../types.js';
import { message } from './messages.js';
import { LIMITS, normaliseDomain, parseRules, type CompareOp, type Condition, type KnownNames, type RuleError, type RuleNode } from './parse.js';
import { inlineFlags } from './regex.js';

/** One true part of a rule's condition, as evidence for a verdict. */
export interface Evidence {
  /** The condition as written in the rule. */
  condition: string;
  line: number;
  column: number;
  /** The item's value for the field (a number, yes/no, a short text, or null when unknown). */
  value?: number | string | boolean | null;
  /** What matched: words as written in the item, the regex match, the domains, the texts found. */
  matched?: string[];
  /** Where a `text matches` match starts in the item's text. */
  at?: number;
}

export interface Verdict {
  /** The rule's name. */
  rule: string;
  /** Where the rule starts in the rule text. */
  line: number;
  priority: number;
  actions: RuleActionSpec[];
  reason: string;
  evidence: Evidence[];
  /** The rules saw only part of the item (very long text, or the regex work limit was reached). */
  partial?: true;
}

type Test = (c: Ctx) => boolean;

/** A rule ready to evaluate. Produced by compileRules; treat as opaque apart from the documented fields. */
export interface CompiledRule {
  readonly name: string;
  readonly line: number;
  readonly priority: number;
  readonly enabled: boolean;
  /** Position in the rule text, 0-based. */
  readonly order: number;
  readonly actions: readonly RuleActionSpec[];
  readonly reason: string;
  /** The parsed conditions (for display). */
  readonly node: RuleNode;
  /** @internal */
  readonly when: CNode;
  /** @internal */
  readonly unless: readonly CNode[];
  /** @internal */
  readonly plan: Plan;
}

export type CompileResult =
  | { ok: true; rules: CompiledRule[]; warnings: RuleError[] }
  | { ok: false; errors: RuleError[]; warnings: RuleError[] };

export interface EvaluateOptions {
  /** Also evaluate rules marked `disabled` (backtests do; the live pipeline does not). */
  includeDisabled?: boolean;
}

export interface EvaluationReport {
  verdicts: Verdict[];
  /** Rules whose `when` was true but an `unless` spared the item. */
  exempted: string[];
  /** The item's text was longer than rules (or the text regexes) look at. */
  textCut: boolean;
  /** Checks (contains, regexes on author.handle, links, domains) skipped for the work limit. */
  skipped: number;
}

// ---------------------------------------------------------------------------------------------
// limits of one evaluation

/** Characters of author.handle, of one link and of one domain that regexes look at. */
const FIELD_CHARS = 2_000;
/** Links and domains of one item that rules look at. */
const LIST_ENTRIES = 100;
/** Work per item for `contains` (characters × needles) and regexes on fields other than text (characters × RE2 size). */
const SCAN_WORK = 50_000_000;
/** Work for finding the matched text of `matches` conditions for evidence: per condition, and per item. */
const EVIDENCE_WORK = 5_000_000;
const EVIDENCE_WORK_TOTAL = 20_000_000;
/** Below this many characters for the text regexes, the compiler warns. */
const WARN_REGEX_CHARS = 20_000;
const EVIDENCE_CHARS = 200;
const EVIDENCE_ITEMS = 20;

// ---------------------------------------------------------------------------------------------
// the regex plan shared by the rules of one rule set

interface Plan {
  set: RE2Set | null;
  regexes: { re: RE2JS; size: number }[];
  /** Characters of text the regexes look at. */
  chars: number;
}

class PlanBuilder {
  readonly regexes: { re: RE2JS; size: number; pattern: string; line: number; column: number }[] = [];
  add(node: Extract<Condition, { type: 'matches' }>): number {
    this.regexes.push({ re: node.regex.re, size: node.regex.size, pattern: inlineFlags(node.regex.source, node.regex.flags), line: node.span.line, column: node.span.column });
    return this.regexes.length - 1;
  }
  build(): { plan: Plan; warning: RuleError | null } {
    const total = this.regexes.reduce((n, r) => n + r.size, 0);
    const chars = total === 0 ? LIMITS.textChars : Math.min(LIMITS.textChars, Math.floor(LIMITS.textRegexWork / total));
    let set: RE2Set | null = null;
    if (this.regexes.length > 1) {
      try {
        set = new RE2Set(RE2Set.UNANCHORED, 0);
        for (const r of this.regexes) set.add(r.pattern);
        set.compile();
      } catch {
        set = null; // each regex is then tested on its own: same results, more time
      }
    }
    let warning: RuleError | null = null;
    if (chars < WARN_REGEX_CHARS && this.regexes.length > 0) {
      const first = this.regexes[0];
      warning = { line: first.line, column: first.column, length: 1, ...message('regex-text-limited', { chars }) };
    }
    return { plan: { set, regexes: this.regexes.map(({ re, size }) => ({ re, size })), chars }, warning };
  }
}

// ---------------------------------------------------------------------------------------------
// per-item context: capped texts and lazily computed facts

const CATEGORY_INDEX = new Map<string, number>(CATEGORIES.map((c, i) => [c, i]));

function cut(s: string, n: number): string {
  if (s.length <= n) return s;
  const c = s.charCodeAt(n - 1);
  return s.slice(0, c >= 0xd800 && c <= 0xdbff ? n - 1 : n);
}

class Ctx {
  readonly text: string;
  readonly folded: string;
  readonly textCut: boolean;
  /** The text regexes saw less than the rules' text (a rule set with very large regexes). */
  regexCut = false;
  skipped = 0;
  private work = 0;
  private evidenceWork = 0;
  private counts: Int32Array | null = null;
  private domainList: string[] | null = null;
  private planHits: Plan | null = null;
  private hits: Uint8Array | null = null;

  constructor(readonly input: RuleInput) {
    this.textCut = input.text.length > LIMITS.textChars || input.folded.length > LIMITS.textChars;
    this.text = cut(input.text, LIMITS.textChars);
    this.folded = cut(input.folded, LIMITS.textChars);
  }

  count(category: number): number {
    if (this.counts === null) {
      this.counts = new Int32Array(CATEGORIES.length);
      for (const w of this.input.words) {
        const k = CATEGORY_INDEX.get(w.category);
        if (k !== undefined) this.counts[k]++;
      }
    }
    return this.counts[category];
  }

  domains(): string[] {
    if (this.domainList === null) {
      const src = this.input.domains.length > LIST_ENTRIES ? this.input.domains.slice(0, LIST_ENTRIES) : this.input.domains;
      this.domainList = src.map((d) => {
        const x = d.toLowerCase();
        return x.endsWith('.') ? x.slice(0, -1) : x;
      });
    }
    return this.domainList;
  }

  links(): readonly string[] {
    return this.input.links.length > LIST_ENTRIES ? this.input.links.slice(0, LIST_ENTRIES) : this.input.links;
  }

  regexText(plan: Plan): string {
    return cut(this.text, plan.chars);
  }

  /** Does text regex `id` of `plan` match? With a set, all regexes of the plan run in one pass, once. */
  textHit(plan: Plan, id: number): boolean {
    if (this.planHits !== plan) {
      this.planHits = plan;
      // 0 = not tested yet, 1 = match, 2 = no match
      this.hits = new Uint8Array(plan.regexes.length);
      if (this.text.length > plan.chars) this.regexCut = true;
      if (plan.set !== null) {
        this.hits.fill(2);
        for (const k of plan.set.match(this.regexText(plan))) this.hits[k] = 1;
      }
    }
    const hits = this.hits!;
    if (hits[id] === 0) hits[id] = plan.regexes[id].re.test(this.regexText(plan)) ? 1 : 2;
    return hits[id] === 1;
  }

  /** Take `units` from the per-item work budget; false (and counted as skipped) when it is used up. */
  spend(units: number): boolean {
    if (this.work + units > SCAN_WORK) {
      this.skipped++;
      return false;
    }
    this.work += units;
    return true;
  }

  /** How many characters evidence may search with a regex of this size (0: none left). */
  evidenceChars(size: number): number {
    const units = Math.min(EVIDENCE_WORK, EVIDENCE_WORK_TOTAL - this.evidenceWork);
    const chars = Math.max(0, Math.floor(units / size));
    this.evidenceWork += chars * size;
    return chars;
  }

  /** A regex on a short field, within the per-item work budget. */
  fieldTest(re: RE2JS, size: number, value: string): boolean {
    const s = cut(value, FIELD_CHARS);
    return this.spend((s.length + 1) * size) && re.test(s);
  }

  /** `contains` within the per-item work budget. */
  contains(hay: string, needles: string[], word: boolean): boolean {
    return this.spend((hay.length + 1) * needles.length) && anyIncludes(hay, needles, word);
  }
}

// ---------------------------------------------------------------------------------------------
// compiling conditions to closures

/** A condition with its compiled test, and its parts (for evidence). */
interface CNode { node: Condition; test: Test; items: CNode[]; extra?: CNodeExtra }
interface CNodeExtra { needles?: string[]; textRegex?: number; re?: RE2JS; size?: number }

type NumberGetter = (c: Ctx) => number | null;
type StringGetter = (c: Ctx) => string | null;

function numberGetter(field: string): NumberGetter {
  switch (field) {
    case 'text.length': return (c) => c.input.text.length;
    case 'links.count': return (c) => c.input.links.length;
    case 'domains.count': return (c) => c.input.domains.length;
    case 'words.count': return (c) => c.input.words.length;
    case 'author.accountAgeDays': return (c) => c.input.author.accountAgeDays ?? null;
    case 'author.removals': return (c) => c.input.author.removals;
    case 'claim.score': return (c) => c.input.misinfo?.claimScore ?? null;
    case 'campaign.items': return (c) => c.input.misinfo?.campaignItems ?? null;
    case 'campaign.accounts': return (c) => c.input.misinfo?.campaignAccounts ?? null;
    case 'links.newAccounts': return (c) => c.input.misinfo?.linkNewAccounts ?? null;
    case 'thread.firstTimeAuthors': return (c) => c.input.misinfo?.threadFirstTimeAuthors ?? null;
  }
  if (field.startsWith('words.')) {
    const k = CATEGORY_INDEX.get(field.slice(6));
    if (k !== undefined) return (c) => c.count(k);
  }
  if (field.startsWith('score.')) {
    const label = field.slice(6) as Label;
    return (c) => c.input.scores[label] ?? null;
  }
  throw new Error(`rules: no number field ${field}`);
}

function stringGetter(field: string): StringGetter {
  switch (field) {
    case 'language': return (c) => c.input.language ?? null;
    case 'platform': return (c) => c.input.platform;
    case 'connection': return (c) => c.input.connection;
    case 'kind': return (c) => c.input.kind;
    case 'author.handle': return (c) => c.input.author.handle ?? null;
    case 'claim.verdict': return (c) => c.input.misinfo?.claimVerdict ?? null;
    case 'domain.category': return (c) => c.input.misinfo?.domainCategory ?? null;
  }
  throw new Error(`rules: no text field ${field}`);
}

/** Text fields that can be unknown (`is unknown` reads them as text, not as numbers). */
const STRING_NULLABLE = new Set(['language', 'author.handle', 'claim.verdict', 'domain.category']);

function flagGetter(field: string): Test {
  switch (field) {
    case 'author.trusted': return (c) => c.input.author.trusted === true;
    case 'author.known': return (c) => c.input.author.known === true;
  }
  throw new Error(`rules: no yes/no field ${field}`);
}

function compareTest(g: NumberGetter, op: CompareOp, k: number): Test {
  switch (op) {
    case '<': return (c) => { const v = g(c); return v !== null && v < k; };
    case '<=': return (c) => { const v = g(c); return v !== null && v <= k; };
    case '>': return (c) => { const v = g(c); return v !== null && v > k; };
    case '>=': return (c) => { const v = g(c); return v !== null && v >= k; };
    case '=': return (c) => { const v = g(c); return v !== null && v === k; };
    case '!=': return (c) => { const v = g(c); return !(v !== null && v === k); };
  }
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;
function isWordAt(s: string, i: number, backwards: boolean): boolean {
  if (i < 0 || i >= s.length) return false;
  const c = s.charCodeAt(i);
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
  let ch = s[i];
  if (backwards && c >= 0xdc00 && c <= 0xdfff && i > 0) ch = s.slice(i - 1, i + 1);
  else if (!backwards && c >= 0xd800 && c <= 0xdbff) ch = s.slice(i, i + 2);
  return WORD_CHAR.test(ch);
}

/**
 * `needle` in `hay` as a whole word (where the needle's own edges are word characters). Linear:
 * a place inside a word cannot start a word, so the search goes on after the word.
 */
export function containsWord(hay: string, needle: string): boolean {
  if (needle === '') return false;
  const checkStart = isWordAt(needle, 0, false);
  const checkEnd = isWordAt(needle, needle.length - 1, true);
  let from = 0;
  while (from <= hay.length - needle.length) {
    const i = hay.indexOf(needle, from);
    if (i < 0) return false;
    if (checkStart && isWordAt(hay, i - 1, true)) {
      let k = i;
      while (k < hay.length && isWordAt(hay, k, false)) k++;
      from = k + 1;
      continue;
    }
    if (!checkEnd || !isWordAt(hay, i + needle.length, false)) return true;
    from = i + 1;
  }
  return false;
}

function anyIncludes(hay: string, needles: string[], word: boolean): boolean {
  for (const n of needles) if (word ? containsWord(hay, n) : n !== '' && hay.includes(n)) return true;
  return false;
}

function domainMatches(d: string, wanted: string[]): boolean {
  for (const w of wanted) {
    if (d === w || (d.length > w.length && d.endsWith(w) && d.charCodeAt(d.length - w.length - 1) === 0x2e)) return true;
  }
  return false;
}

function compile(node: Condition, plan: PlanBuilder, planRef: { plan: Plan | null }): CNode {
  const leaf = (test: Test, extra?: CNodeExtra): CNode => ({ node, test, items: [], extra });
  switch (node.type) {
    case 'and':
    case 'or': {
      const items = node.items.map((n) => compile(n, plan, planRef));
      const tests = items.map((i) => i.test);
      let test: Test;
      if (node.type === 'and') {
        test = tests.length === 2
          ? ((a, b) => (c: Ctx) => a(c) && b(c))(tests[0], tests[1])
          : (c) => { for (const t of tests) if (!t(c)) return false; return true; };
      } else {
        test = tests.length === 2
          ? ((a, b) => (c: Ctx) => a(c) || b(c))(tests[0], tests[1])
          : (c) => { for (const t of tests) if (t(c)) return true; return false; };
      }
      return { node, test, items };
    }
    case 'not': {
      const item = compile(node.item, plan, planRef);
      const t = item.test;
      return { node, test: (c) => !t(c), items: [item] };
    }
    case 'compare':
      return leaf(compareTest(numberGetter(node.field), node.op, node.value));
    case 'flag':
      return leaf(flagGetter(node.field));
    case 'unknown': {
      let isUnknown: Test;
      if (STRING_NULLABLE.has(node.field)) {
        const g = stringGetter(node.field);
        isUnknown = (c) => g(c) === null;
      } else {
        const g = numberGetter(node.field);
        isUnknown = (c) => g(c) === null;
      }
      return leaf(node.negated ? (c) => !isUnknown(c) : isUnknown);
    }
    case 'equals': {
      const g = stringGetter(node.field);
      const wanted = new Set(node.values.map((v) => v.toLowerCase()));
      const negated = node.negated;
      return leaf((c) => {
        const v = g(c);
        return (v !== null && wanted.has(v.toLowerCase())) !== negated;
      });
    }
    case 'contains': {
      const word = node.word;
      if (node.field === 'text') {
        const needles = node.needles.map((n) => foldText(n)).filter((n) => n !== '');
        return leaf((c) => c.contains(c.folded, needles, word), { needles });
      }
      const needles = node.needles.map((n) => n.toLowerCase());
      if (node.field === 'links' || node.field === 'domains') {
        const list = node.field === 'links' ? (c: Ctx) => c.links() : (c: Ctx) => c.domains();
        return leaf((c) => list(c).some((v) => c.contains(cut(v, FIELD_CHARS).toLowerCase(), needles, false)), { needles });
      }
      const g = stringGetter(node.field);
      return leaf((c) => {
        const v = g(c);
        return v !== null && c.contains(cut(v, FIELD_CHARS).toLowerCase(), needles, word);
      }, { needles });
    }
    case 'matches': {
      const { re, size } = node.regex;
      if (node.field === 'text') {
        const id = plan.add(node);
        return leaf((c) => c.textHit(planRef.plan!, id), { textRegex: id, re, size });
      }
      if (node.field === 'links' || node.field === 'domains') {
        const list = node.field === 'links' ? (c: Ctx) => c.links() : (c: Ctx) => c.domains();
        return leaf((c) => list(c).some((v) => c.fieldTest(re, size, v)), { re, size });
      }
      const g = stringGetter(node.field);
      return leaf((c) => {
        const v = g(c);
        return v !== null && c.fieldTest(re, size, v);
      }, { re, size });
    }
    case 'domains': {
      const wanted = node.domains;
      return leaf((c) => c.domains().some((d) => domainMatches(d, wanted)));
    }
    case 'words': {
      if (node.categories === null) return leaf((c) => c.input.words.length > 0);
      const idx = node.categories.map((cat) => CATEGORY_INDEX.get(cat)!);
      return leaf((c) => idx.some((k) => c.count(k) > 0));
    }
    case 'invalid':
      return leaf(() => false);
  }
}

// ---------------------------------------------------------------------------------------------
// evidence

function unique(xs: Iterable<string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const x of xs) {
    const v = x.length > EVIDENCE_CHARS ? x.slice(0, EVIDENCE_CHARS) + '…' : x;
    if (seen.has(v)) continue;
    seen.add(v);
    out.push(v);
    if (out.length === EVIDENCE_ITEMS) break;
  }
  return out;
}

function shortValue(v: string | null): string | null {
  return v === null ? null : v.length > EVIDENCE_CHARS ? v.slice(0, EVIDENCE_CHARS) + '…' : v;
}

function leafEvidence(cn: CNode, c: Ctx, plan: Plan): Evidence {
  const node = cn.node;
  const ev: Evidence = { condition: node.text, line: node.span.line, column: node.span.column };
  switch (node.type) {
    case 'compare': {
      ev.value = numberGetter(node.field)(c);
      if (node.field === 'words.count') ev.matched = unique(c.input.words.map((w) => w.matched));
      else if (node.field.startsWith('words.')) {
        const cat = node.field.slice(6) as Category;
        ev.matched = unique(c.input.words.filter((w) => w.category === cat).map((w) => w.matched));
      }
      break;
    }
    case 'flag':
      ev.value = true;
      break;
    case 'unknown':
      ev.value = STRING_NULLABLE.has(node.field)
        ? shortValue(stringGetter(node.field)(c))
        : numberGetter(node.field)(c);
      break;
    case 'equals':
      ev.value = shortValue(stringGetter(node.field)(c));
      break;
    case 'contains': {
      const needles = cn.extra?.needles ?? [];
      const original = node.field === 'text' ? node.needles.filter((n) => foldText(n) !== '') : node.needles;
      let found: string[];
      if (node.field === 'text') found = original.filter((_, k) => c.contains(c.folded, [needles[k]], node.word));
      else if (node.field === 'links' || node.field === 'domains') {
        const list = node.field === 'links' ? c.links() : c.domains();
        found = list.filter((v) => c.contains(cut(v, FIELD_CHARS).toLowerCase(), needles, false));
      } else {
        const v = stringGetter(node.field)(c);
        ev.value = shortValue(v);
        found = original.filter((_, k) => v !== null && c.contains(cut(v, FIELD_CHARS).toLowerCase(), [needles[k]], node.word));
      }
      ev.matched = unique(found);
      break;
    }
    case 'matches': {
      const re = cn.extra!.re!;
      const size = cn.extra!.size!;
      if (node.field === 'text') {
        const text = c.regexText(plan);
        const chars = c.evidenceChars(size);
        const m = chars > 0 ? re.matcher(cut(text, chars)) : null;
        if (m !== null && m.find()) {
          ev.matched = unique([m.group() ?? '']);
          ev.at = m.start();
        } else ev.matched = [];
      } else if (node.field === 'links' || node.field === 'domains') {
        const list = node.field === 'links' ? c.links() : c.domains();
        ev.matched = unique(list.filter((v) => c.fieldTest(re, size, v)));
      } else {
        const v = stringGetter(node.field)(c);
        ev.value = shortValue(v);
        if (v !== null) {
          const s = cut(v, FIELD_CHARS);
          const m = c.evidenceChars(size) >= s.length ? re.matcher(s) : null;
          ev.matched = m !== null && m.find() ? unique([m.group() ?? '']) : [];
        }
      }
      break;
    }
    case 'domains': {
      const wanted = node.domains;
      ev.matched = unique(c.domains().filter((d) => domainMatches(d, wanted)));
      break;
    }
    case 'words': {
      const cats = node.categories;
      const hits = cats === null ? c.input.words : c.input.words.filter((w) => cats.includes(w.category));
      ev.value = hits.length;
      ev.matched = unique(hits.map((w) => w.matched));
      break;
    }
    default:
      break;
  }
  return ev;
}

/** Which parts made the condition true. Same result as `cn.test(c)`; parts of failed branches are dropped. */
function explain(cn: CNode, c: Ctx, plan: Plan, out: Evidence[]): boolean {
  const node = cn.node;
  switch (node.type) {
    case 'and':
      for (const item of cn.items) if (!explain(item, c, plan, out)) return false;
      return true;
    case 'or':
      for (const item of cn.items) {
        const mark = out.length;
        if (explain(item, c, plan, out)) return true;
        out.length = mark;
      }
      return false;
    case 'not':
      if (cn.items[0].test(c)) return false;
      out.push({ condition: node.text, line: node.span.line, column: node.span.column });
      return true;
    default:
      if (!cn.test(c)) return false;
      out.push(leafEvidence(cn, c, plan));
      return true;
  }
}

// ---------------------------------------------------------------------------------------------
// public API

/** Parse, validate and compile a rule set. The rules come sorted: priority (high first), then text order. */
export function compileRules(source: string, known: KnownNames = {}): CompileResult {
  const parsed = parseRules(source, known);
  if (parsed.errors.length > 0) return { ok: false, errors: parsed.errors, warnings: parsed.warnings };
  const builder = new PlanBuilder();
  const planRef: { plan: Plan | null } = { plan: null };
  const pending = parsed.rules.map((r) => ({
    r,
    when: compile(r.when, builder, planRef),
    unless: r.unless.map((u) => compile(u, builder, planRef)),
  }));
  const { plan, warning } = builder.build();
  planRef.plan = plan;
  const warnings = warning === null ? parsed.warnings : [...parsed.warnings, warning];
  const rules: CompiledRule[] = pending.map(({ r, when, unless }) => ({
    name: r.name,
    line: r.line,
    priority: r.priority,
    enabled: r.enabled,
    order: r.order,
    actions: r.actions.map((a) => (a.value === undefined ? { action: a.action } : { action: a.action, value: a.value })),
    reason: r.reason,
    node: r,
    when,
    unless,
    plan,
  }));
  rules.sort((a, b) => b.priority - a.priority || a.order - b.order);
  return { ok: true, rules, warnings };
}

function verdict(rule: CompiledRule, c: Ctx): Verdict {
  const evidence: Evidence[] = [];
  explain(rule.when, c, rule.plan, evidence);
  const v: Verdict = {
    rule: rule.name,
    line: rule.line,
    priority: rule.priority,
    actions: rule.actions.map((a) => ({ ...a })),
    reason: rule.reason,
    evidence,
  };
  if (c.textCut || c.regexCut || c.skipped > 0) v.partial = true;
  return v;
}

/** Evaluate rules on one item, with what was exempted and whether the item was seen in full. */
export function evaluateRulesReport(rules: readonly CompiledRule[], input: RuleInput, options: EvaluateOptions = {}): EvaluationReport {
  const c = new Ctx(input);
  const verdicts: Verdict[] = [];
  const exempted: string[] = [];
  for (const rule of rules) {
    if (!rule.enabled && options.includeDisabled !== true) continue;
    if (!rule.when.test(c)) continue;
    let spared = false;
    for (const u of rule.unless) {
      if (u.test(c)) {
        spared = true;
        break;
      }
    }
    if (spared) {
      exempted.push(rule.name);
      continue;
    }
    verdicts.push(verdict(rule, c));
  }
  return { verdicts, exempted, textCut: c.textCut || c.regexCut, skipped: c.skipped };
}

/**
 * The verdicts of the rules that apply to an item, in the order of `rules` (compileRules sorts
 * them by priority, then text order). Disabled rules are skipped unless `includeDisabled`.
 */
export function evaluateRules(rules: readonly CompiledRule[], input: RuleInput, options: EvaluateOptions = {}): Verdict[] {
  return evaluateRulesReport(rules, input, options).verdicts;
}
