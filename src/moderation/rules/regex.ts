// User-written regexes: checked with exact positions for what RE2 cannot do, compiled by re2js
// (linear time, no backtracking), with a size limit so that the time per item stays bounded.
import { RE2JS, RE2JSSyntaxException } from 're2js';
import { message, type Message } from './messages.js';

export const MAX_REGEX_SOURCE = 1_000;
/** RE2's program size ("cost") of one regex. A few hundred for a long word alternation. */
export const MAX_REGEX_SIZE = 1_000;

export const REGEX_FLAGS = 'ims';

export interface RegexProblem { offset: number; length: number; msg: Message }

export type CheckedRegex =
  | { ok: true; re: RE2JS; size: number; warnings: RegexProblem[] }
  | { ok: false; problem: RegexProblem };

export function flagBits(flags: string): number {
  let bits = 0;
  if (flags.includes('i')) bits |= RE2JS.CASE_INSENSITIVE;
  if (flags.includes('m')) bits |= RE2JS.MULTILINE;
  if (flags.includes('s')) bits |= RE2JS.DOTALL;
  return bits;
}

/** The same pattern with its flags written inline, for an RE2Set that holds many patterns. */
export function inlineFlags(source: string, flags: string): string {
  const f = [...new Set(flags)].filter((c) => REGEX_FLAGS.includes(c)).join('');
  return f === '' ? `(?:${source})` : `(?${f}:${source})`;
}

const isWideLetter = (ch: string | undefined): boolean =>
  ch !== undefined && ch.charCodeAt(0) > 0x7f && /\p{L}/u.test(ch);

/** Things RE2 refuses (or silently treats differently), found by a scan that knows the offset. */
function scan(source: string): { problem?: RegexProblem; warnings: RegexProblem[] } {
  const warnings: RegexProblem[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') {
      const next = source[i + 1];
      if (!inClass && next !== undefined && next >= '1' && next <= '9') {
        let j = i + 2;
        while (j < source.length && source[j] >= '0' && source[j] <= '9') j++;
        const what = source.slice(i, j);
        return { problem: { offset: i, length: j - i, msg: message('regex-backreference', { what }) }, warnings };
      }
      if (next === 'k' && /[<{']/.test(source[i + 2] ?? '')) {
        return { problem: { offset: i, length: 3, msg: message('regex-backreference', { what: source.slice(i, i + 3) + '…' }) }, warnings };
      }
      if (!inClass && (next === 'b' || next === 'B') && (isWideLetter(source[i - 1]) || isWideLetter(source[i + 2]))) {
        warnings.push({ offset: i, length: 2, msg: message('regex-ascii-boundary') });
      }
      i++;
      continue;
    }
    if (inClass) {
      if (ch === '[' && source[i + 1] === ':') {
        const close = source.indexOf(':]', i + 2);
        if (close > 0) i = close + 1;
      } else if (ch === ']') inClass = false;
      continue;
    }
    if (ch === '[') {
      inClass = true;
      if (source[i + 1] === '^') i++;
      if (source[i + 1] === ']') i++; // a leading ] is a literal
      continue;
    }
    if (ch === '(' && source[i + 1] === '?') {
      const two = source.slice(i + 2, i + 4);
      const one = source[i + 2];
      if (one === '=' || one === '!') {
        return { problem: { offset: i, length: 3, msg: message('regex-lookaround', { what: source.slice(i, i + 3) }) }, warnings };
      }
      if (two === '<=' || two === '<!') {
        return { problem: { offset: i, length: 4, msg: message('regex-lookaround', { what: source.slice(i, i + 4) }) }, warnings };
      }
      if (two === 'P=') {
        return { problem: { offset: i, length: 4, msg: message('regex-backreference', { what: source.slice(i, i + 4) + '…)' }) }, warnings };
      }
      if (one === '>') {
        return { problem: { offset: i, length: 3, msg: message('regex-atomic', { what: '(?>' }) }, warnings };
      }
      continue;
    }
    if ((ch === '*' || ch === '+' || ch === '?' || ch === '}') && source[i + 1] === '+') {
      return { problem: { offset: i, length: 2, msg: message('regex-atomic', { what: source.slice(i, i + 2) }) }, warnings };
    }
  }
  return { warnings };
}

export function checkRegex(source: string, flags: string): CheckedRegex {
  if (source.length > MAX_REGEX_SOURCE) {
    return { ok: false, problem: { offset: 0, length: source.length, msg: message('regex-too-long', { length: source.length, max: MAX_REGEX_SOURCE }) } };
  }
  const scanned = scan(source);
  if (scanned.problem) return { ok: false, problem: scanned.problem };
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, flagBits(flags));
  } catch (e) {
    if (e instanceof RE2JSSyntaxException) {
      const at = e.input ?? '';
      const found = at !== '' && at !== source ? source.indexOf(at) : -1;
      return {
        ok: false,
        problem: {
          offset: Math.max(0, found),
          length: found >= 0 ? at.length : source.length,
          msg: message('regex-syntax', { detail: e.error, at: at !== '' && at !== source ? `\`${at}\`` : '' }),
        },
      };
    }
    const detail = e instanceof Error ? e.message : String(e);
    return { ok: false, problem: { offset: 0, length: source.length, msg: message('regex-syntax', { detail, at: '' }) } };
  }
  const size = re.programSize();
  if (size > MAX_REGEX_SIZE) {
    return { ok: false, problem: { offset: 0, length: source.length, msg: message('regex-too-big', { size, max: MAX_REGEX_SIZE }) } };
  }
  return { ok: true, re, size, warnings: scanned.warnings };
}
