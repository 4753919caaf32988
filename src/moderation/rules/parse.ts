/**
 * Allmende moderation rules: tokenizer, parser and validation (text → rule AST).
 *
 * LANGUAGE REFERENCE (the same text, in German and English, is in ./reference.md for the editor)
 *
 * A rule set is plain text, one block per rule. Keywords are English and lower case; names,
 * reasons and values are yours (German welcome). `#` starts a comment up to the end of the line.
 * Line breaks and indentation are free: a condition may span several lines.
 *
 *     # Drohungen sofort ausblenden
 *     rule "Drohungen verbergen"
 *       when words.threat >= 1
 *         or score.threat >= 0.8
 *       unless author.trusted
 *       then hide, notify "moderation"
 *       reason "Drohung"
 *
 *     rule "Links von neuen Konten prüfen"
 *       when domains any ["bit.ly", "t.me"] and author.accountAgeDays < 7
 *       then hold
 *       reason "Kurzlink von neuem Konto"
 *       priority 10
 *
 * Parts of a rule
 *     rule "name"          starts a rule; names are unique in a rule set
 *     when <condition>     required: when the rule applies
 *     unless <condition>   optional, may repeat: the rule does not apply when one is true
 *     then <actions>       required: one or more actions, separated by commas
 *     reason "text"        required: the reason people see with every decision
 *     priority <n>         optional, whole number -1000..1000, default 0: verdicts of higher
 *                          priority come first; equal priority keeps the order of the text
 *     enabled | disabled   optional, default enabled; a disabled rule runs only in tests
 *                          against history (backtest), never on new items
 *
 * Conditions combine with `and`, `or`, `not` and brackets. `not` binds tightest, then `and`,
 * then `or`: `a or b and not c` means `a or (b and (not c))`.
 *
 * Fields and what can be asked of them
 *     text                   contains "…" | contains ["…", "…"] | contains word "…" | matches /…/
 *     text.length            number of characters
 *     language               is "de" | is not "de" | in ["de", "en"] | not in [...] | is unknown
 *     platform               is / in: bluesky, mastodon, email, facebook, instagram, threads, youtube,
 *                            tiktok, x, linkedin, reddit, discord, telegram, whatsapp, website, forum, other
 *     connection             is / in: the connection's name
 *     kind                   is / in: post, comment, reply, direct_message, mention, email
 *     links                  contains "…" | matches /…/   (true when any link does)
 *     links.count            number
 *     domains                any ["bit.ly", "t.me"] (the domain or any subdomain of it)
 *                            | contains "…" | matches /…/
 *     domains.count          number
 *     words                  any | any ["threat", "insult"]   (word-list hits)
 *     words.count            number of word-list hits
 *     words.<category>       hits per category: insult, threat, slur, profanity, spam
 *     score.<label>          classifier score 0..1: offensive, threat, spam; may be unknown
 *     author.handle          like a text value (is, in, contains, matches); may be unknown
 *     author.accountAgeDays  number; unknown when the platform does not tell
 *     author.removals        number of the author's items hidden or deleted in Allmende
 *     author.trusted         yes/no: a trusted member (write `author.trusted` or `not author.trusted`)
 *     author.known           yes/no: seen before in this workspace
 *
 * Numbers are compared with < <= > >= = != (decimal point: 0.8). Text values stand in straight
 * quotes "…". is, in and contains ignore upper and lower case. contains and contains word look at
 * the folded text, where case, umlauts (ä = ae, ß = ss), accents, look-alike letters, leetspeak
 * (1d10t = idiot) and s p a c e d letters make no difference; contains word only matches whole
 * words. A comparison with an unknown value is false (`author.accountAgeDays < 7` is false when the
 * platform does not tell the age); `is not`, `not in` and `!=` are the exact opposites of `is`,
 * `in` and `=`; ask for the unknown case with `is unknown`.
 *
 * Regexes stand between slashes, /…/, followed by flags: i (ignore case), m (^ and $ at every
 * line), s (. also matches line breaks). `text matches` looks at the text as people read it (not
 * folded). The engine is RE2 (re2js): linear time, never a hung worker, and therefore no
 * backreferences (\1) and no lookahead or lookbehind ((?=…), (?<=…)). \b, \w and [a-z] know only
 * ASCII letters: for German words use \p{L} or `contains word`. Write \/ for a slash.
 *
 * Actions
 *     hold                  hold for review (the item goes to the review queue)
 *     hide                  hide the item on the platform
 *     delete                delete the item on the platform
 *     reply "name"          reply with the canned response of that name
 *     label "name"          add a label
 *     assign "team"         assign to a team
 *     ban | mute            ban or mute the author (where the platform allows it)
 *     notify "channel"      notify a channel
 * hold, hide and delete exclude each other, as do ban and mute, and reply and delete: the rule
 * is refused with a message saying which to keep.
 *
 * Every rule that applies to an item gives a verdict: the rule, its actions, its reason and the
 * evidence (which parts of the condition were true, with the words, text or domains that matched).
 *
 * Limits: 500 rules, 200 KB of rule text, 1,000 characters and RE2 size 1,000 per regex (20,000
 * for all regexes together), 1,000 entries per list. Rules look at the first 100,000 characters of
 * an item; `text matches` looks at 50,000,000 / (total RE2 size of the text regexes) characters if
 * that is fewer (typical regexes have size 10-50; the compiler warns below 20,000 characters).
 * `contains` lists and regexes on other fields share a work limit per item; checks beyond it count
 * as not matching and the verdicts are marked partial. So evaluation time is bounded whatever the
 * item's text.
 *
 * Errors come as { line, column, length, code, message, messageDe }; lines and columns start at 1
 * and count UTF-16 code units (as editors in the browser do). After an error the parser resumes at
 * the next part of the rule (when, unless, then, reason …) or the next `rule`, so several errors
 * are reported at once.
 */
import type { RE2JS } from 're2js';
import { CATEGORIES, LABELS, RULE_ACTIONS, type Category, type RuleAction } from '../types.js';
import { END_OF_TEXT, message, type Message } from './messages.js';
import { ACTION_HINTS, FIELD_BY_NAME, KEYWORD_HINTS, suggest, suggestField, type FieldInfo } from './fields.js';
import { checkRegex, REGEX_FLAGS } from './regex.js';

export const LIMITS = {
  /** Rule text, UTF-8 bytes. */
  sourceBytes: 200 * 1024,
  rules: 500,
  /** Sum of the RE2 sizes of all regexes in a rule set. */
  regexTotalSize: 20_000,
  listEntries: 1_000,
  depth: 32,
  errors: 100,
  nameChars: 200,
  reasonChars: 500,
  valueChars: 200,
  priority: 1_000,
  /** Characters of an item's text that rules look at. */
  textChars: 100_000,
  /** Work (characters × RE2 size) the text regexes of one rule set may do on one item. */
  textRegexWork: 50_000_000,
} as const;

// ---------------------------------------------------------------------------------------------
// AST

export interface RuleError extends Message {
  line: number;
  column: number;
  /** How many characters to underline. */
  length: number;
}

export interface Span { line: number; column: number; start: number; end: number }

export type CompareOp = '<' | '<=' | '>' | '>=' | '=' | '!=';

interface NodeBase {
  /** The condition as written (whitespace and comments tidied), for evidence. */
  text: string;
  span: Span;
}

export type Condition =
  | (NodeBase & { type: 'and' | 'or'; items: Condition[] })
  | (NodeBase & { type: 'not'; item: Condition })
  | (NodeBase & { type: 'compare'; field: string; op: CompareOp; value: number })
  | (NodeBase & { type: 'flag'; field: string })
  | (NodeBase & { type: 'unknown'; field: string; negated: boolean })
  | (NodeBase & { type: 'equals'; field: string; values: string[]; negated: boolean })
  | (NodeBase & { type: 'contains'; field: string; needles: string[]; word: boolean })
  | (NodeBase & { type: 'matches'; field: string; regex: RegexLiteral })
  | (NodeBase & { type: 'domains'; domains: string[] })
  | (NodeBase & { type: 'words'; categories: Category[] | null })
  | (NodeBase & { type: 'invalid' });

export interface RegexLiteral { source: string; flags: string; re: RE2JS; size: number }

export interface ActionNode { action: RuleAction; value?: string; line: number; column: number }

export interface RuleNode {
  name: string;
  line: number;
  column: number;
  when: Condition;
  unless: Condition[];
  actions: ActionNode[];
  reason: string;
  priority: number;
  enabled: boolean;
  /** Position in the text, 0-based. */
  order: number;
}

/** Names in the workspace the rules may refer to; each list given is checked, with suggestions. */
export interface KnownNames {
  connections?: readonly string[];
  cannedResponses?: readonly string[];
  teams?: readonly string[];
  channels?: readonly string[];
}

export interface ParseResult {
  /** The rules without errors; only meaningful when `errors` is empty. */
  rules: RuleNode[];
  errors: RuleError[];
  warnings: RuleError[];
}

// ---------------------------------------------------------------------------------------------
// Tokenizer

type TokenKind = 'word' | 'string' | 'number' | 'regex' | 'op' | 'punct' | 'eof';

interface Token {
  kind: TokenKind;
  /** word, operator or punctuation as written; string/regex contents; number as written */
  value: string;
  num: number;
  flags: string;
  start: number;
  end: number;
  line: number;
  column: number;
  /** A regex or text whose error was already reported by the tokenizer. */
  broken?: true;
}

const TYPOGRAPHIC_OPEN = new Set(['„', '“', '”', '‚', '‘', '’', '«', '»']);
const STRING_CLOSE = new Set(['"', '“', '”', '‘', '’', '«', '»']);
const WORD_START = /[\p{L}_]/u;
const WORD_CHAR = /[\p{L}\p{N}_.]/u;

class Tokenizer {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  readonly tokens: Token[] = [];

  constructor(private readonly src: string, private readonly report: (line: number, column: number, length: number, msg: Message) => void) {}

  private push(kind: TokenKind, start: number, value: string, extra: Partial<Token> = {}): void {
    this.tokens.push({ kind, value, num: 0, flags: '', start, end: this.i, line: this.line, column: start - this.lineStart + 1, ...extra });
  }

  private error(at: number, length: number, msg: Message): void {
    this.report(this.line, at - this.lineStart + 1, length, msg);
  }

  run(): Token[] {
    const s = this.src;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === '\n') {
        this.i++;
        this.line++;
        this.lineStart = this.i;
        continue;
      }
      if (ch === ' ' || ch === '\t' || ch === '\r' || /\s/u.test(ch)) {
        this.i++;
        continue;
      }
      if (ch === '#') {
        while (this.i < s.length && s[this.i] !== '\n') this.i++;
        continue;
      }
      const start = this.i;
      if (ch === '"' || TYPOGRAPHIC_OPEN.has(ch)) {
        this.string(start);
        continue;
      }
      if (ch === '/') {
        this.regex(start);
        continue;
      }
      if ((ch >= '0' && ch <= '9') || (ch === '-' && /[0-9]/.test(s[this.i + 1] ?? ''))) {
        this.i++;
        while (this.i < s.length && /[0-9]/.test(s[this.i])) this.i++;
        if (s[this.i] === '.' && /[0-9]/.test(s[this.i + 1] ?? '')) {
          this.i++;
          while (this.i < s.length && /[0-9]/.test(s[this.i])) this.i++;
        }
        const text = s.slice(start, this.i);
        this.push('number', start, text, { num: Number(text) });
        continue;
      }
      if (WORD_START.test(ch)) {
        this.i++;
        while (this.i < s.length && WORD_CHAR.test(s[this.i])) this.i++;
        this.push('word', start, s.slice(start, this.i));
        continue;
      }
      const two = s.slice(this.i, this.i + 2);
      if (two === '<=' || two === '>=' || two === '!=' || two === '==') {
        this.i += 2;
        this.push('op', start, two === '==' ? '=' : two);
        continue;
      }
      if (ch === '<' || ch === '>' || ch === '=') {
        this.i++;
        this.push('op', start, ch);
        continue;
      }
      if (ch === '(' || ch === ')' || ch === '[' || ch === ']' || ch === ',') {
        this.i++;
        this.push('punct', start, ch);
        continue;
      }
      const cp = String.fromCodePoint(s.codePointAt(this.i) ?? 0);
      this.i += cp.length;
      this.error(start, cp.length, message('bad-character', { ch: cp }));
    }
    this.tokens.push({ kind: 'eof', value: '', num: 0, flags: '', start: s.length, end: s.length, line: this.line, column: s.length - this.lineStart + 1 });
    return this.tokens;
  }

  private string(start: number): void {
    const s = this.src;
    const open = s[start];
    if (open !== '"') this.error(start, 1, message('typographic-quote', { ch: open }));
    this.i++;
    let value = '';
    for (;;) {
      const ch = s[this.i];
      if (ch === undefined || ch === '\n') {
        this.error(start, this.i - start, message('string-unclosed'));
        break;
      }
      if (ch === '\\' && (s[this.i + 1] === '"' || s[this.i + 1] === '\\')) {
        value += s[this.i + 1];
        this.i += 2;
        continue;
      }
      this.i++;
      // A straight quote closes only at a straight quote; after a typographic opening quote
      // (already reported) any closing quote ends the text, so that parsing can go on.
      if (open === '"' ? ch === '"' : STRING_CLOSE.has(ch)) break;
      value += ch;
    }
    this.push('string', start, value);
  }

  private regex(start: number): void {
    const s = this.src;
    this.i++;
    let inClass = false;
    let closed = false;
    let innerSlash = -1;
    while (this.i < s.length) {
      const ch = s[this.i];
      if (ch === '\n') break;
      if (ch === '\\' && this.i + 1 < s.length && s[this.i + 1] !== '\n') {
        this.i += 2;
        continue;
      }
      if (inClass) {
        if (ch === ']') inClass = false;
        this.i++;
        continue;
      }
      if (ch === '[') {
        inClass = true;
        this.i++;
        if (s[this.i] === '^') this.i++;
        if (s[this.i] === ']') this.i++;
        continue;
      }
      if (ch === '/') {
        // A slash closes the regex when what follows (after any flags) ends it: a space, the end of
        // the line, ) , ] or #. Otherwise it is a slash inside the regex that should be written \/
        // ("/https://t.me/"): report it once, and read on to the real end.
        let j = this.i + 1;
        while (j < s.length && /[\p{L}\p{N}_]/u.test(s[j])) j++;
        const after = s[j];
        if (after === undefined || /[\s),\]#]/u.test(after)) {
          closed = true;
          break;
        }
        if (innerSlash < 0) innerSlash = this.i;
      }
      this.i++;
    }
    if (innerSlash >= 0) {
      this.error(innerSlash, 1, message('regex-inner-slash'));
      this.push('regex', start, s.slice(start + 1, this.i), { flags: '', broken: true });
      if (closed) {
        this.i++;
        while (this.i < s.length && /[\p{L}\p{N}_]/u.test(s[this.i])) this.i++;
        this.tokens[this.tokens.length - 1].end = this.i;
      }
      return;
    }
    if (!closed) {
      this.error(start, this.i - start, message('regex-unclosed'));
      this.push('regex', start, s.slice(start + 1, this.i), { flags: '', broken: true });
      return;
    }
    const source = s.slice(start + 1, this.i);
    this.i++; // closing slash
    let flags = '';
    while (this.i < s.length && /[\p{L}\p{N}_]/u.test(s[this.i])) {
      const f = s[this.i];
      if (REGEX_FLAGS.includes(f)) {
        if (!flags.includes(f)) flags += f;
      } else if (f !== 'u') {
        this.error(this.i, 1, message('regex-flag', { flag: f }));
      }
      this.i++;
    }
    this.push('regex', start, source, { flags });
  }
}

// ---------------------------------------------------------------------------------------------
// Parser

const CLAUSES = new Set(['rule', 'when', 'unless', 'then', 'reason', 'priority', 'enabled', 'disabled']);
const CONDITION_KEYWORDS = new Set(['and', 'or', 'not', 'is', 'in', 'any', 'contains', 'word', 'matches', 'unknown']);
const VALUE_ACTIONS: Record<string, { what: string; whatDe: string; example: string; known?: keyof KnownNames; valueName: [string, string] }> = {
  reply: { what: 'the name of a canned response', whatDe: 'den Namen einer Textvorlage', example: 'Hinweis Netiquette', known: 'cannedResponses', valueName: ['canned response', 'Textvorlage'] },
  label: { what: 'a label', whatDe: 'ein Label', example: 'spam', valueName: ['label', 'Label'] },
  assign: { what: 'a team name', whatDe: 'einen Teamnamen', example: 'Moderation', known: 'teams', valueName: ['team', 'Team'] },
  notify: { what: 'a channel name', whatDe: 'einen Kanalnamen', example: 'moderation', known: 'channels', valueName: ['channel', 'Kanal'] },
};
const CONFLICTS: [RuleAction, RuleAction][] = [
  ['hide', 'delete'], ['hold', 'hide'], ['hold', 'delete'], ['ban', 'mute'], ['reply', 'delete'],
];

/** Thrown after a syntax error has been recorded: the parser resumes at the next clause. */
class Resume extends Error {}

function found(t: Token): string {
  switch (t.kind) {
    case 'eof': return END_OF_TEXT;
    case 'string': return `"${t.value.length > 30 ? t.value.slice(0, 30) + '…' : t.value}"`;
    case 'regex': return `/${t.value.length > 30 ? t.value.slice(0, 30) + '…' : t.value}/`;
    default: return t.value;
  }
}

const LANGUAGE_CODE = /^[a-z]{2,3}$/;
/** A host name with at least two labels, in ASCII (international names in punycode). */
const DOMAIN = /^(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?\.)+[a-z0-9-]{2,63}$/;

class Parser {
  private i = 0;
  private depth = 0;
  private readonly errors: RuleError[] = [];
  private readonly warnings: RuleError[] = [];
  private errorsInRule = 0;
  private regexTotal = 0;
  private regexTotalReported = false;

  constructor(private readonly src: string, private readonly known: KnownNames) {}

  // --- reporting

  report(line: number, column: number, length: number, msg: Message): void {
    this.errorsInRule++;
    if (this.errors.length < LIMITS.errors) this.errors.push({ line, column, length: Math.max(1, length), ...msg });
    else if (this.errors.length === LIMITS.errors) {
      this.errors.push({ line, column, length: 1, ...message('too-many-errors', { max: LIMITS.errors }) });
    }
  }

  private errorAt(t: Token, msg: Message, length?: number): void {
    this.report(t.line, t.column, length ?? Math.max(1, t.end - t.start), msg);
  }

  private warnAt(line: number, column: number, length: number, msg: Message): void {
    this.warnings.push({ line, column, length: Math.max(1, length), ...msg });
  }

  // --- tokens

  private toks: Token[] = [];

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }

  private next(): Token {
    const t = this.toks[this.i];
    if (t.kind !== 'eof') this.i++;
    return t;
  }

  private isWord(t: Token, w: string): boolean {
    return t.kind === 'word' && t.value === w;
  }

  private isPunct(t: Token, p: string): boolean {
    return t.kind === 'punct' && t.value === p;
  }

  private atClause(t: Token = this.peek()): boolean {
    return t.kind === 'eof' || (t.kind === 'word' && CLAUSES.has(t.value));
  }

  private skipToClause(): void {
    while (!this.atClause()) this.next();
  }

  private render(from: number, to: number): string {
    let out = '';
    let prev: Token | null = null;
    for (let k = from; k < to; k++) {
      const t = this.toks[k];
      const text = this.src.slice(t.start, t.end);
      const glue = prev === null || (prev.kind === 'punct' && (prev.value === '(' || prev.value === '['))
        || (t.kind === 'punct' && (t.value === ')' || t.value === ']' || t.value === ','));
      out += (glue ? '' : ' ') + text;
      prev = t;
    }
    return out;
  }

  private span(from: number): Span {
    const first = this.toks[from];
    const last = this.toks[Math.max(from, this.i - 1)];
    return { line: first.line, column: first.column, start: first.start, end: last.end };
  }

  private base(from: number): NodeBase {
    return { text: this.render(from, this.i), span: this.span(from) };
  }

  // --- program

  parse(): ParseResult {
    const bytes = utf8Length(this.src);
    if (bytes > LIMITS.sourceBytes) {
      this.report(1, 1, 1, message('source-too-large', { kb: Math.ceil(bytes / 1024), max: LIMITS.sourceBytes / 1024 }));
      return { rules: [], errors: this.errors, warnings: [] };
    }
    this.toks = new Tokenizer(this.src, (l, c, n, m) => this.report(l, c, n, m)).run();
    // "When", "AND": reported, then read as the keyword, so the rest of the rule is checked too.
    for (const t of this.toks) {
      if (t.kind !== 'word') continue;
      const lower = t.value.toLowerCase();
      if (lower !== t.value && (CLAUSES.has(lower) || CONDITION_KEYWORDS.has(lower) || (RULE_ACTIONS as readonly string[]).includes(lower))) {
        this.errorAt(t, message('keyword-case', { word: lower }));
        t.value = lower;
      }
    }
    const rules: RuleNode[] = [];
    const names = new Map<string, number>();
    let count = 0;
    while (this.peek().kind !== 'eof') {
      const t = this.peek();
      if (!this.isWord(t, 'rule')) {
        const hint = t.kind === 'word' ? KEYWORD_HINTS[t.value.toLowerCase()] ?? (t.value.toLowerCase() === 'rule' ? 'rule' : undefined) : undefined;
        this.errorAt(t, message('expected-rule', { found: found(t), suggest: hint ?? '' }));
        this.next();
        while (this.peek().kind !== 'eof' && !this.isWord(this.peek(), 'rule')) this.next();
        continue;
      }
      if (count === LIMITS.rules) {
        this.errorAt(t, message('too-many-rules', { max: LIMITS.rules }));
        break;
      }
      const rule = this.rule(count, names);
      count++;
      if (rule !== null) rules.push(rule);
    }
    this.errors.sort((a, b) => a.line - b.line || a.column - b.column);
    this.warnings.sort((a, b) => a.line - b.line || a.column - b.column);
    return { rules: this.errors.length === 0 ? rules : [], errors: this.errors, warnings: this.warnings };
  }

  private rule(order: number, names: Map<string, number>): RuleNode | null {
    this.errorsInRule = 0;
    const ruleTok = this.next();
    let name = '';
    const nameTok = this.peek();
    if (nameTok.kind === 'string') {
      this.next();
      name = nameTok.value.trim();
      if (name === '') this.errorAt(nameTok, message('rule-name-empty'));
      else if (name.length > LIMITS.nameChars) this.errorAt(nameTok, message('value-too-long', { max: LIMITS.nameChars }));
      else {
        const key = name.toLowerCase();
        const first = names.get(key);
        if (first !== undefined) this.errorAt(nameTok, message('rule-name-duplicate', { name, line: first }));
        else names.set(key, ruleTok.line);
      }
    } else {
      this.errorAt(nameTok.kind === 'eof' ? ruleTok : nameTok, message('rule-name-missing'));
      if (!this.atClause(nameTok) && nameTok.kind !== 'eof') this.next();
    }
    const label = name === '' ? `rule ${order + 1}` : name;

    let when: Condition | null = null;
    const unless: Condition[] = [];
    let actions: ActionNode[] | null = null;
    let reason: string | null = null;
    let priority = 0;
    let enabled = true;
    const seen = new Map<string, number>();
    // Text the parser could not read may be the missing part: then "missing when" would only repeat it.
    let junk = false;

    const once = (t: Token, clause: string): boolean => {
      const key = clause === 'disabled' ? 'enabled' : clause;
      const first = seen.get(key);
      if (first !== undefined) {
        this.errorAt(t, message('clause-twice', { clause: key === 'enabled' ? 'enabled/disabled' : key, line: first }));
        return false;
      }
      seen.set(key, t.line);
      return true;
    };

    for (;;) {
      const t = this.peek();
      if (t.kind === 'eof' || this.isWord(t, 'rule')) break;
      try {
        if (t.kind === 'word' && CLAUSES.has(t.value)) {
          this.next();
          switch (t.value) {
            case 'when': {
              const first = once(t, 'when');
              const c = this.conditionClause();
              if (first) when = c;
              break;
            }
            case 'unless':
              unless.push(this.conditionClause());
              break;
            case 'then': {
              const first = once(t, 'then');
              const a = this.actions();
              if (first) actions = a;
              break;
            }
            case 'reason': {
              const first = once(t, 'reason');
              const r = this.reason();
              if (first) reason = r;
              break;
            }
            case 'priority': {
              const first = once(t, 'priority');
              const p = this.priority();
              if (first) priority = p;
              break;
            }
            case 'enabled':
            case 'disabled':
              if (once(t, t.value)) enabled = t.value === 'enabled';
              break;
          }
        } else {
          junk = true;
          const hint = t.kind === 'word' ? KEYWORD_HINTS[t.value.toLowerCase()] ?? suggest(t.value, CLAUSES) : undefined;
          this.errorAt(t, message('expected-clause', { found: found(t), suggest: hint ?? '' }));
          this.next();
          this.skipToClause();
        }
      } catch (e) {
        if (!(e instanceof Resume)) throw e;
        this.skipToClause();
      }
    }

    const at = { line: ruleTok.line, column: ruleTok.column, length: (nameTok.kind === 'string' ? nameTok.end : ruleTok.end) - ruleTok.start };
    if (!seen.has('when') && !junk) this.report(at.line, at.column, at.length, message('missing-when', { name: label }));
    if (!seen.has('then') && !junk) this.report(at.line, at.column, at.length, message('missing-then', { name: label }));
    if (!seen.has('reason') && !junk) this.report(at.line, at.column, at.length, message('missing-reason', { name: label }));
    if (this.errorsInRule > 0 || when === null || actions === null || reason === null) return null;
    return { name, line: ruleTok.line, column: ruleTok.column, when, unless, actions, reason, priority, enabled, order };
  }

  // --- clauses

  private conditionClause(): Condition {
    this.depth = 0;
    const c = this.or();
    if (!this.atClause()) {
      this.errorAt(this.peek(), message('unexpected-after-condition', { found: found(this.peek()) }));
      throw new Resume();
    }
    return c;
  }

  private reason(): string {
    const t = this.peek();
    if (t.kind !== 'string') {
      this.errorAt(t, message('expected-string', { after: 'reason', found: found(t), word: '' }));
      throw new Resume();
    }
    this.next();
    const r = t.value.trim();
    if (r === '') this.errorAt(t, message('reason-empty'));
    else if (r.length > LIMITS.reasonChars) this.errorAt(t, message('value-too-long', { max: LIMITS.reasonChars }));
    return r;
  }

  private priority(): number {
    const t = this.peek();
    const bad = () => this.errorAt(t, message('priority-invalid', { min: -LIMITS.priority, max: LIMITS.priority, found: found(t) }));
    if (t.kind !== 'number') {
      bad();
      throw new Resume();
    }
    this.next();
    if (!Number.isInteger(t.num) || Math.abs(t.num) > LIMITS.priority) {
      bad();
      return 0;
    }
    return t.num;
  }

  private actions(): ActionNode[] {
    const out: ActionNode[] = [];
    const list = RULE_ACTIONS.join(', ');
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'word' || CLAUSES.has(t.value)) {
        this.errorAt(t, message('expected-action', { list, found: found(t) }));
        throw new Resume();
      }
      this.next();
      let valueTok: Token | null = null;
      if (this.peek().kind === 'string') valueTok = this.next();
      if (!(RULE_ACTIONS as readonly string[]).includes(t.value)) {
        const near = suggest(t.value, Object.keys(ACTION_HINTS));
        const hint = ACTION_HINTS[t.value.toLowerCase()] ?? suggest(t.value, RULE_ACTIONS) ?? (near === undefined ? undefined : ACTION_HINTS[near]);
        this.errorAt(t, message('unknown-action', { name: t.value, suggest: hint ?? '', list }));
      } else {
        const action = t.value as RuleAction;
        const spec = VALUE_ACTIONS[action];
        let value: string | undefined;
        if (spec !== undefined) {
          if (valueTok === null) {
            this.errorAt(t, message('action-needs-value', { action, what: spec.what, whatDe: spec.whatDe, example: spec.example }));
          } else {
            value = valueTok.value.trim();
            if (value === '') this.errorAt(valueTok, message('empty-text', { after: action }));
            else if (value.length > LIMITS.valueChars) this.errorAt(valueTok, message('value-too-long', { max: LIMITS.valueChars }));
            else if (spec.known !== undefined) this.checkKnown(valueTok, value, this.known[spec.known], spec.valueName);
          }
        } else if (valueTok !== null) {
          this.errorAt(valueTok, message('action-no-value', { action }));
        }
        if (out.some((a) => a.action === action && a.value === value)) {
          this.errorAt(t, message('action-duplicate', { action, value: value ?? '' }));
        } else {
          for (const other of out) {
            const pair = CONFLICTS.find(([a, b]) => (a === other.action && b === action) || (a === action && b === other.action));
            if (pair !== undefined) {
              this.errorAt(t, message('actions-conflict', { a: pair[0], b: pair[1] }));
              break;
            }
          }
          out.push(value === undefined ? { action, line: t.line, column: t.column } : { action, value, line: t.line, column: t.column });
        }
      }
      const sep = this.peek();
      if (this.isPunct(sep, ',')) {
        this.next();
        continue;
      }
      if (this.isWord(sep, 'and')) {
        this.errorAt(sep, message('expected-action-comma'));
        this.next();
        continue;
      }
      if (sep.kind === 'word' && !CLAUSES.has(sep.value) && ((RULE_ACTIONS as readonly string[]).includes(sep.value) || sep.value.toLowerCase() in ACTION_HINTS)) {
        this.errorAt(sep, message('expected-action-comma'));
        continue;
      }
      return out;
    }
  }

  private checkKnown(t: Token, value: string, known: readonly string[] | undefined, name: [string, string]): void {
    if (known === undefined) return;
    const lower = value.toLowerCase();
    if (known.some((k) => k.toLowerCase() === lower)) return;
    this.errorAt(t, message('unknown-value', {
      what: name[0], whatDe: name[1], value, suggest: suggest(value, known) ?? '',
      list: known.length <= 12 ? known.join(', ') : '',
    }));
  }

  // --- conditions

  private or(): Condition {
    const from = this.i;
    const items = [this.and()];
    while (this.isWord(this.peek(), 'or')) {
      this.next();
      items.push(this.and());
    }
    return items.length === 1 ? items[0] : { type: 'or', items, ...this.base(from) };
  }

  private and(): Condition {
    const from = this.i;
    const items = [this.not()];
    while (this.isWord(this.peek(), 'and')) {
      this.next();
      items.push(this.not());
    }
    return items.length === 1 ? items[0] : { type: 'and', items, ...this.base(from) };
  }

  private enter(t: Token): void {
    if (++this.depth > LIMITS.depth) {
      this.errorAt(t, message('nesting-too-deep', { max: LIMITS.depth }));
      throw new Resume();
    }
  }

  private not(): Condition {
    const from = this.i;
    const t = this.peek();
    if (this.isWord(t, 'not')) {
      this.enter(t);
      this.next();
      const item = this.not();
      this.depth--;
      return { type: 'not', item, ...this.base(from) };
    }
    return this.primary();
  }

  private primary(): Condition {
    const t = this.peek();
    if (this.isPunct(t, '(')) {
      this.enter(t);
      this.next();
      const inner = this.or();
      const close = this.peek();
      if (!this.isPunct(close, ')')) {
        this.errorAt(close, message('expected-close-paren', { line: t.line, column: t.column, found: found(close) }));
        throw new Resume();
      }
      this.next();
      this.depth--;
      return inner;
    }
    if (t.kind !== 'word' || CLAUSES.has(t.value) || CONDITION_KEYWORDS.has(t.value)) {
      if (t.kind === 'word' && CONDITION_KEYWORDS.has(t.value)) this.errorAt(t, message('keyword-as-field', { name: t.value }));
      else this.errorAt(t, message('expected-condition', { found: found(t) }));
      throw new Resume();
    }
    return this.predicate();
  }

  /** After an error inside a predicate: skip to where the next and/or/)/clause could start. */
  private skipPredicate(from: number): Condition {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (this.atClause(t)) break;
      if (depth === 0 && (this.isWord(t, 'and') || this.isWord(t, 'or') || this.isPunct(t, ')'))) break;
      if (this.isPunct(t, '(') || this.isPunct(t, '[')) depth++;
      if ((this.isPunct(t, ')') || this.isPunct(t, ']')) && depth > 0) depth--;
      this.next();
    }
    return { type: 'invalid', ...this.base(from) };
  }

  private resolveField(t: Token): FieldInfo | null {
    const known = FIELD_BY_NAME.get(t.value);
    if (known !== undefined) return known;
    const [head, ...rest] = t.value.split('.');
    const tail = rest.join('.');
    if (head === 'words' && tail !== '') {
      const cands = [...CATEGORIES, 'count'];
      this.errorAt(t, message('unknown-category', { name: tail, suggest: suggestOr(tail, cands, 'words.'), list: CATEGORIES.join(', ') }));
    } else if (head === 'score' && tail !== '') {
      this.errorAt(t, message('unknown-label', { name: tail, suggest: suggestOr(tail, LABELS, 'score.'), list: LABELS.join(', ') }));
    } else {
      this.errorAt(t, message('unknown-field', { name: t.value, suggest: suggestField(t.value) ?? '' }));
    }
    return null;
  }

  private predicate(): Condition {
    const from = this.i;
    const fieldTok = this.next();
    const field = this.resolveField(fieldTok);
    if (field === null) return this.skipPredicate(from);
    const op = this.peek();
    const opWord = op.kind === 'word' ? op.value : '';

    switch (field.type) {
      case 'boolean':
        if (op.kind === 'op' || ['is', 'in', 'contains', 'matches', 'any'].includes(opWord)) {
          this.errorAt(op, message('bool-field-op', { field: field.name }));
          return this.skipPredicate(from);
        }
        return { type: 'flag', field: field.name, ...this.base(from) };

      case 'number': {
        if (opWord === 'is' && (this.isWord(this.peek(1), 'unknown') || (this.isWord(this.peek(1), 'not') && this.isWord(this.peek(2), 'unknown')))) {
          return this.unknownTest(field, from);
        }
        if (op.kind !== 'op') {
          this.errorAt(op, message('number-field-op', { field: field.name, example: field.example }));
          return this.skipPredicate(from);
        }
        this.next();
        const value = this.number(field, op);
        if (value === null) return this.skipPredicate(from);
        return { type: 'compare', field: field.name, op: op.value as CompareOp, value, ...this.base(from) };
      }

      case 'string':
        if (opWord === 'is') {
          if (this.isWord(this.peek(1), 'unknown') || (this.isWord(this.peek(1), 'not') && this.isWord(this.peek(2), 'unknown'))) {
            return this.unknownTest(field, from);
          }
          this.next();
          let negated = false;
          if (this.isWord(this.peek(), 'not')) {
            this.next();
            negated = true;
          }
          const vt = this.peek();
          const v = this.string(negated ? 'is not' : 'is');
          if (v === null) return this.skipPredicate(from);
          this.checkValue(field, vt, v);
          return { type: 'equals', field: field.name, values: [v], negated, ...this.base(from) };
        }
        if (opWord === 'in' || (opWord === 'not' && this.isWord(this.peek(1), 'in'))) {
          const negated = opWord === 'not';
          this.next();
          if (negated) this.next();
          const values = this.list(negated ? 'not in' : 'in', `${field.name} in ["…", "…"]`, (t, v) => this.checkValue(field, t, v));
          if (values === null) return this.skipPredicate(from);
          return { type: 'equals', field: field.name, values, negated, ...this.base(from) };
        }
        if (opWord === 'contains') return this.contains(field, from, true);
        if (opWord === 'matches') return this.matches(field, from);
        this.errorAt(op, message('string-field-op', { field: field.name, example: field.example }));
        return this.skipPredicate(from);

      case 'text':
        if (opWord === 'contains') return this.contains(field, from, true);
        if (opWord === 'matches') return this.matches(field, from);
        this.errorAt(op, message('text-field-op'));
        return this.skipPredicate(from);

      case 'list':
        if (opWord === 'contains' && !this.isWord(this.peek(1), 'word')) return this.contains(field, from, false);
        if (opWord === 'matches') return this.matches(field, from);
        if (opWord === 'any' && field.name === 'domains') {
          this.next();
          const domains = this.list('any', 'domains any ["bit.ly", "t.me"]', (t, v) => this.checkDomain(t, v));
          if (domains === null) return this.skipPredicate(from);
          return { type: 'domains', domains: domains.map(normaliseDomain), ...this.base(from) };
        }
        this.errorAt(op, message('list-field-op', { field: field.name }));
        return this.skipPredicate(from);

      case 'words': {
        if (opWord !== 'any') {
          this.errorAt(op, message('words-op'));
          return this.skipPredicate(from);
        }
        this.next();
        if (!this.isPunct(this.peek(), '[') && this.peek().kind !== 'string') {
          return { type: 'words', categories: null, ...this.base(from) };
        }
        const cats = this.list('words any', 'words any ["threat", "insult"]', (t, v) => {
          if (!(CATEGORIES as readonly string[]).includes(v)) {
            this.errorAt(t, message('unknown-category', { name: v, suggest: suggest(v, CATEGORIES) ?? '', list: CATEGORIES.join(', ') }));
          }
        });
        if (cats === null) return this.skipPredicate(from);
        return { type: 'words', categories: cats as Category[], ...this.base(from) };
      }
    }
  }

  private unknownTest(field: FieldInfo, from: number): Condition {
    const isTok = this.next();
    let negated = false;
    if (this.isWord(this.peek(), 'not')) {
      this.next();
      negated = true;
    }
    this.next(); // unknown
    if (!field.nullable) this.errorAt(isTok, message('never-unknown', { field: field.name }), this.toks[this.i - 1].end - isTok.start);
    return { type: 'unknown', field: field.name, negated, ...this.base(from) };
  }

  private number(field: FieldInfo, op: Token): number | null {
    const t = this.peek();
    if (t.kind !== 'number') {
      this.errorAt(t, message('expected-number', { after: op.value, found: found(t), quoted: t.kind === 'string' && !Number.isNaN(Number(t.value)) ? 1 : '' }));
      if (t.kind === 'string' || (t.kind === 'word' && !CLAUSES.has(t.value) && !CONDITION_KEYWORDS.has(t.value))) this.next();
      return null;
    }
    this.next();
    let value = t.num;
    const comma = this.peek();
    const frac = this.peek(1);
    if (this.isPunct(comma, ',') && comma.start === t.end && frac.kind === 'number' && frac.start === comma.end && /^[0-9]+$/.test(frac.value)) {
      this.errorAt(t, message('decimal-comma', { number: `${t.value}.${frac.value}` }), frac.end - t.start);
      this.next();
      this.next();
      value = Number(`${t.value}.${frac.value}`);
    }
    if (field.max !== undefined && value > field.max) {
      this.errorAt(t, message('score-range', { value }));
    } else if (field.min !== undefined && value < field.min) {
      this.errorAt(t, message(field.max !== undefined ? 'score-range' : 'negative-count', { field: field.name, value }));
    }
    return value;
  }

  private string(after: string): string | null {
    const t = this.peek();
    if (t.kind !== 'string') {
      const bareWord = t.kind === 'word' && !CLAUSES.has(t.value) && !CONDITION_KEYWORDS.has(t.value);
      this.errorAt(t, message('expected-string', { after, found: found(t), word: bareWord || t.kind === 'number' ? t.value : '' }));
      if (bareWord || t.kind === 'number') this.next();
      return null;
    }
    this.next();
    if (t.value.length > LIMITS.valueChars) {
      this.errorAt(t, message('value-too-long', { max: LIMITS.valueChars }));
    }
    return t.value;
  }

  /** `[ "a", "b" ]`, or a single string (a list of one). */
  private list(after: string, example: string, check: (t: Token, v: string) => void): string[] | null {
    const open = this.peek();
    if (open.kind === 'string') {
      this.next();
      if (open.value.trim() === '') this.errorAt(open, message('empty-text', { after }));
      else check(open, open.value);
      return [open.value];
    }
    if (!this.isPunct(open, '[')) {
      this.errorAt(open, message('expected-list', { after, example }));
      return null;
    }
    this.next();
    const out: string[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isPunct(t, ']')) {
        this.next();
        break;
      }
      if (t.kind !== 'string') {
        this.errorAt(t, message('expected-list-item', { found: found(t) }));
        throw new Resume();
      }
      this.next();
      if (out.length === LIMITS.listEntries) this.errorAt(t, message('list-too-long', { max: LIMITS.listEntries }));
      if (t.value.trim() === '') this.errorAt(t, message('empty-text', { after }));
      else if (t.value.length > LIMITS.valueChars) this.errorAt(t, message('value-too-long', { max: LIMITS.valueChars }));
      else check(t, t.value);
      out.push(t.value);
      const sep = this.peek();
      if (this.isPunct(sep, ',')) {
        this.next();
        continue;
      }
      if (this.isPunct(sep, ']')) continue;
      this.errorAt(sep, message('expected-list-separator', { found: found(sep) }));
      throw new Resume();
    }
    if (out.length === 0) this.errorAt(open, message('list-empty'), this.toks[this.i - 1].end - open.start);
    return out;
  }

  private contains(field: FieldInfo, from: number, wordAllowed: boolean): Condition {
    this.next(); // contains
    let word = false;
    if (wordAllowed && this.isWord(this.peek(), 'word')) {
      this.next();
      word = true;
    }
    if (this.isWord(this.peek(), 'any')) this.next();
    const after = word ? 'contains word' : 'contains';
    const needles = this.list(after, `${field.name} ${after} ["…", "…"]`, () => {});
    if (needles === null) return this.skipPredicate(from);
    return { type: 'contains', field: field.name, needles, word, ...this.base(from) };
  }

  private matches(field: FieldInfo, from: number): Condition {
    this.next(); // matches
    const t = this.peek();
    if (t.kind !== 'regex') {
      this.errorAt(t, message('expected-regex', { found: found(t) }));
      return this.skipPredicate(from);
    }
    this.next();
    if (t.broken) return { type: 'invalid', ...this.base(from) };
    const checked = checkRegex(t.value, t.flags);
    // The regex source starts one column after the opening slash, on the same line.
    if (!checked.ok) {
      this.report(t.line, t.column + 1 + checked.problem.offset, checked.problem.length, checked.problem.msg);
      return { type: 'invalid', ...this.base(from) };
    }
    for (const w of checked.warnings) this.warnAt(t.line, t.column + 1 + w.offset, w.length, w.msg);
    this.regexTotal += checked.size;
    if (this.regexTotal > LIMITS.regexTotalSize && !this.regexTotalReported) {
      this.regexTotalReported = true;
      this.errorAt(t, message('regex-total-too-big', { size: this.regexTotal, max: LIMITS.regexTotalSize }));
    }
    return { type: 'matches', field: field.name, regex: { source: t.value, flags: t.flags, re: checked.re, size: checked.size }, ...this.base(from) };
  }

  private checkValue(field: FieldInfo, t: Token, v: string): void {
    if (field.name === 'language') {
      if (!LANGUAGE_CODE.test(v)) {
        const lower = v.trim().toLowerCase();
        this.errorAt(t, message('bad-language', { value: v, suggest: LANGUAGE_CODE.test(lower) ? `"${lower}"` : '' }));
      }
      return;
    }
    if (field.values !== undefined) {
      if (!field.values.includes(v)) {
        const [what, whatDe] = field.valueName ?? [field.name, field.name];
        const s = suggest(v, field.values);
        this.errorAt(t, message('unknown-value', { what, whatDe, value: v, suggest: s === undefined ? '' : `"${s}"`, list: field.values.join(', ') }));
      }
      return;
    }
    if (field.known !== undefined) this.checkKnown(t, v, this.known[field.known], field.valueName ?? [field.name, field.name]);
  }

  private checkDomain(t: Token, v: string): void {
    if (DOMAIN.test(normaliseDomain(v))) return;
    let hint = '';
    try {
      const raw = v.trim().replace(/^\*\./, '');
      const host = new URL(/^[a-z]+:\/\//i.test(raw) ? raw : `http://${raw}`).hostname;
      if (DOMAIN.test(host)) hint = `"${normaliseDomain(host)}"`;
    } catch { /* no hint */ }
    this.errorAt(t, message('bad-domain', { value: v, suggest: hint }));
  }
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

function suggestOr(word: string, candidates: readonly string[], prefix: string): string {
  const s = suggest(word, candidates);
  return s === undefined ? '' : prefix + s;
}

/**
 * Lower case, no trailing dot, no leading "www." (the pipeline drops it from item domains too;
 * subdomains match anyway); international names in their ASCII (punycode) form, as URL hostnames are.
 */
export function normaliseDomain(d: string): string {
  let out = d.trim().toLowerCase();
  if (out.endsWith('.')) out = out.slice(0, -1);
  if (out.startsWith('www.') && out.indexOf('.', 4) > 0) out = out.slice(4);
  if (/[^\x00-\x7f]/.test(out) && !/[\s/:?#@]/.test(out)) {
    try {
      out = new URL(`http://${out}`).hostname;
    } catch { /* left as is: reported by the check */ }
  }
  return out;
}

/** Parse and validate a rule set. Never throws on bad input. */
export function parseRules(source: string, known: KnownNames = {}): ParseResult {
  return new Parser(source, known).parse();
}
