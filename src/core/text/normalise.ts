// Text normalisation: the first step of analysis. Two outputs, for two kinds of reader.
//
// `normalised` — what people read and search. Same letters, same case, same diacritics, but:
//   1. Invisible/format characters removed (zero-width space/joiner/non-joiner, word joiner, BOM,
//      soft hyphen, bidi controls, variation selectors, tag characters, every other Cf, stray C0/C1
//      controls): they are invisible on screen but split words for search and word lists, and are a
//      favourite way to smuggle "Id\u200Biot" past a filter. (Side effect: emoji ZWJ sequences such as
//      a family emoji fall apart into their single emojis; the meaning survives.)
//   2. Unicode NFKC: fullwidth "Ｉｄｉｏｔ", ligatures "ﬁ", mathematical 𝐛𝐨𝐥𝐝 letters, superscripts and
//      circled letters become the plain characters they stand for, so one word has one spelling.
//   3. Every whitespace run (incl. no-break, ideographic, line/paragraph separators, Braille blank and
//      Hangul fillers that are used as "invisible spaces") becomes one space; trimmed.
//
// `folded` — a matching key for classifiers and word lists, never shown to people. It throws away
// everything a writer can vary without changing what a reader understands. Word lists must be run
// through the same function, so consistency matters more than faithfulness. From `normalised`:
//   1. Homoglyphs to Latin: Cyrillic/Greek look-alikes (а е о р с у х і ѕ ј …, ο α ε ι κ ν ρ τ υ χ …)
//      become Latin letters — but only in a word that also has Latin letters ("Іdiot" with a Cyrillic
//      І), or in a word made only of look-alikes inside a mostly-Latin text. Real Russian or Greek
//      text keeps its own letters, so classifiers for those languages still see real words.
//   2. Leetspeak: 4→a @→a 3→e 1→i !→i 0→o 5→s $→s 7→t 8→b 9→g €→e, only in words with letters.
//      A digit between letters is always folded ("H4ss", "1d10t", and then also up to two digits
//      at the word's edges); a single digit in front of 3+ letters too ("5chwein", "1diot"). Left as
//      written: numbers ("2024", "5 Euro", "24.12.2024"), numbers with a unit or ending ("1st",
//      "5kg", "90er"), names with a number behind ("Teil1", "covid19", "iPhone8"). Symbols fold only
//      between letters ("Id!ot", "f@ck"; not "Idiot!", not "@handle", not "a@b.com"), except a
//      leading "$" before 3+ letters ("$chwein"). Folding happens before lower-casing so that "!"
//      between a small letter and a capital ("Danke!Super") is read as punctuation, not as an "i"
//      (while "ID!OT" is).
//   3. Lower case (locale independent).
//   4. German umlauts and ß are transliterated the German way: ä→ae, ö→oe, ü→ue, ß→ss. Why not ä→a:
//      (a) ae/oe/ue is what German writers type when they have no umlaut key (DIN 5007-2, passports,
//      domain names), so "Ärger" and "Aerger" get one key; (b) plain stripping merges distinct
//      words, and in moderation the worst such pair is "schwül" (humid) / "schwul" (gay, a frequent
//      target word) — also Bär/Bar, zählen/zahlen, drücken/drucken; (c) ß→ss matches the reformed
//      and the Swiss spelling ("Haß" = "Hass"). Cost: "Arger" typed without the dots misses; word
//      lists can add such variants. All other diacritics on Latin and Greek letters are removed
//      (é→e, ñ→n, ç→c, ά→α; ø→o, ł→l, đ→d, æ→ae, œ→oe, þ→th), as are "Zalgo" stacks of combining
//      marks. Cyrillic keeps й (a separate letter); ё→е as usual in Russian.
//   5. Spaced-out letters are joined when at least 3 single letters stand in a row, separated by
//      the same separator all along (1-3 of: space . - _ * · / •): "I d i o t", "i.d.i.o.t",
//      "i. d. i. o. t.", "i-d-i-o-t" → "idiot"; "u.s.w. z. B." → "usw. z. b.". A lone leet digit
//      between single letters counts as a letter ("I d 1 o t"). Only a-z letters (after steps 1-4)
//      are joined, so one-letter words of other scripts (Russian "я и") stay apart.
//   6. A letter repeated 3+ times is cut to 2: "Idiooooot" → "idioot". Not to 1, because real
//      words have double letters (Hass, doof, Mutter, Kaffee, Boot vs Bot): cutting to 1 would
//      turn "Hass" into "has" and merge words that differ. Elongation normally adds 3+ letters, so
//      any run of 3+ is noise; a matcher that also wants "idioot" = "idiot" can collapse pairs on
//      both sides itself.
//
// Everything runs in linear time: single passes over code points, and only regexes without
// nested or adjacent quantifiers (no catastrophic backtracking on hostile input).

export interface NormalisedText {
  normalised: string;
  folded: string;
}

// ---------------------------------------------------------------------------------------------
// normalised

// Invisible characters removed before NFKC (so that "e\u200B\u0301" still composes to "é").
// \p{Cf} covers ZWSP, ZWNJ, ZWJ, LRM/RLM, bidi embeddings/overrides/isolates, word joiner,
// invisible operators, BOM, soft hyphen, Mongolian vowel separator, interlinear annotation, tags.
// Added: variation selectors (Mn), combining grapheme joiner, Mongolian free variation selectors,
// Khmer inherent vowels, and C0/C1 controls that are not whitespace.
const INVISIBLE =
  /[\p{Cf}\u034F\u17B4\u17B5\u180B-\u180D\u180F\uFE00-\uFE0F\u{E0100}-\u{E01EF}\u0000-\u0008\u000E-\u001F\u007F-\u0084\u0086-\u009F]/gu;
// Whitespace, plus characters that render blank and are used as spaces.
const BLANK = /[\s\u0085\u2800\u3164\uFFA0\u115F\u1160]+/gu;

/** Only the human-readable form (what the language detector and search want). */
export function normaliseForReading(text: string): string {
  return text.replace(INVISIBLE, '').normalize('NFKC').replace(BLANK, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// folded: character tables

// Look-alikes by case: the map is applied before lower-casing, because e.g. Greek "Μ" looks like M
// but its lower case "μ" looks like u.
const HOMOGLYPHS: Record<string, string | undefined> = {
  // Cyrillic capitals
  А: 'A', В: 'B', Е: 'E', Ё: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', У: 'Y',
  Х: 'X', І: 'I', Ї: 'I', Ј: 'J', Ѕ: 'S', Ԁ: 'D', Ԛ: 'Q', Ԝ: 'W', Һ: 'H', Ӏ: 'I', Ү: 'Y', Ԍ: 'G',
  // Cyrillic small
  а: 'a', е: 'e', ё: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ј: 'j', ѕ: 's',
  ԁ: 'd', ԛ: 'q', ԝ: 'w', һ: 'h', ӏ: 'l', ү: 'y', ь: 'b', п: 'n', г: 'r', к: 'k', м: 'm', т: 't',
  в: 'b', н: 'h',
  // Greek capitals
  Α: 'A', Β: 'B', Ε: 'E', Ζ: 'Z', Η: 'H', Ι: 'I', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T',
  Υ: 'Y', Χ: 'X', Ϲ: 'C', Ϳ: 'J',
  // Greek small
  α: 'a', β: 'b', γ: 'y', ε: 'e', η: 'n', ι: 'i', κ: 'k', ν: 'v', ο: 'o', ρ: 'p', τ: 't', υ: 'u',
  χ: 'x', ω: 'w', μ: 'u', ϲ: 'c', ϳ: 'j',
  // Latin look-alikes outside a-z
  ı: 'i', ȷ: 'j', ɑ: 'a', ɡ: 'g', ǀ: 'l', ʏ: 'y', ɪ: 'i', ᴏ: 'o',
};

// Leetspeak, applied only by the rules described at the top.
const LEET_DIGIT: Record<string, string> = {
  '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
};
const LEET_SYMBOL: Record<string, string> = { '@': 'a', '$': 's', '!': 'i', '€': 'e' };

// Letters that do not decompose under NFD, and the German transliteration.
const SPECIAL_LETTERS: Record<string, string> = {
  ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss',
  ø: 'o', đ: 'd', ð: 'd', ł: 'l', ħ: 'h', ı: 'i', ȷ: 'j', æ: 'ae', œ: 'oe', þ: 'th', ŧ: 't',
  ƒ: 'f', ŀ: 'l', ё: 'е',
};

const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;
const LATIN = /\p{Script=Latin}/u;
const GREEK = /\p{Script=Greek}/u;
const CYRILLIC = /\p{Script=Cyrillic}/u;
const NUMBER = /\p{N}/u;

// Combining marks that are decoration, never a letter of their own (the Latin/Greek/Cyrillic
// diacritics block and the extended/supplement/symbol/half-mark blocks used for "Zalgo" text).
function isDecorativeMark(cp: number): boolean {
  return (
    (cp >= 0x0300 && cp <= 0x036f) ||
    (cp >= 0x1ab0 && cp <= 0x1aff) ||
    (cp >= 0x1dc0 && cp <= 0x1dff) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xfe20 && cp <= 0xfe2f)
  );
}

const letterCache = new Map<string, boolean>();
function isLetter(ch: string): boolean {
  if (ch.length === 1) {
    const c = ch.charCodeAt(0);
    if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
  }
  let v = letterCache.get(ch);
  if (v === undefined) {
    v = LETTER.test(ch);
    if (letterCache.size < 10_000) letterCache.set(ch, v);
  }
  return v;
}

function isAsciiDigit(ch: string): boolean {
  return ch.length === 1 && ch >= '0' && ch <= '9';
}

// Characters that belong to a word for the purpose of homoglyph/leet folding.
function isWordChar(ch: string): boolean {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) {
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch === '@' || ch === '$' || ch === '!';
  }
  return isLetter(ch) || isAsciiDigit(ch) || ch in LEET_SYMBOL || MARK.test(ch) || NUMBER.test(ch);
}

// Per-character fold after lower-casing: umlauts, special letters, diacritics. Cached.
const foldCache = new Map<string, string>();
function foldChar(ch: string): string {
  const c0 = ch.charCodeAt(0);
  if (ch.length === 1 && c0 < 0x80) return ch;
  const cached = foldCache.get(ch);
  if (cached !== undefined) return cached;
  let out: string;
  const cp = ch.codePointAt(0) ?? 0;
  if (ch in SPECIAL_LETTERS) out = SPECIAL_LETTERS[ch];
  else if (isDecorativeMark(cp)) out = '';
  else if (LATIN.test(ch) || GREEK.test(ch)) {
    const d = ch.normalize('NFD');
    if (d.length > 1) {
      let base = '';
      for (const part of d) if (!isDecorativeMark(part.codePointAt(0) ?? 0)) base += part;
      out = base.normalize('NFC');
      if (out in SPECIAL_LETTERS) out = SPECIAL_LETTERS[out];
    } else out = ch;
  } else out = ch;
  if (foldCache.size < 10_000) foldCache.set(ch, out);
  return out;
}

// ---------------------------------------------------------------------------------------------
// folded: steps

/** Step 1 and 2: homoglyphs and leetspeak, word by word, on the cased text. */
function foldWords(chars: string[]): string[] {
  // Is the text mostly Latin? Then words made only of look-alikes are folded too.
  let latin = 0;
  let foreign = 0;
  for (const ch of chars) {
    if (!isLetter(ch)) continue;
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80) latin++;
    else if (CYRILLIC.test(ch) || GREEK.test(ch)) foreign++;
    else if (LATIN.test(ch)) latin++;
  }
  const mostlyLatin = latin > foreign;

  const out = chars.slice();
  const n = chars.length;
  let i = 0;
  while (i < n) {
    if (!isWordChar(chars[i])) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && isWordChar(chars[j])) j++;
    foldWord(chars, out, i, j, mostlyLatin);
    i = j;
  }
  return out;
}

function foldWord(chars: string[], out: string[], start: number, end: number, mostlyLatin: boolean): void {
  // Homoglyphs.
  let hasLatin = false;
  let lookalikes = 0;
  let otherForeign = 0;
  for (let k = start; k < end; k++) {
    const ch = chars[k];
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80) {
      if (isLetter(ch)) hasLatin = true;
      continue;
    }
    if (!isLetter(ch)) continue;
    if (HOMOGLYPHS[ch] !== undefined) lookalikes++;
    if (LATIN.test(ch)) hasLatin = true;
    else if (HOMOGLYPHS[ch] === undefined) otherForeign++;
  }
  if (lookalikes > 0 && (hasLatin || (mostlyLatin && otherForeign === 0))) {
    for (let k = start; k < end; k++) {
      const m = HOMOGLYPHS[chars[k]];
      if (m !== undefined) out[k] = m;
    }
  }

  // Leetspeak. Letters are judged after homoglyph folding.
  let letters = 0;
  let firstLetter = -1;
  let lastLetter = -1;
  for (let k = start; k < end; k++) {
    if (isLetter(out[k])) {
      letters++;
      if (firstLetter < 0) firstLetter = k;
      lastLetter = k;
    }
  }
  if (letters === 0) return;

  // Interior: between the first and the last letter.
  let interiorLeet = false;
  for (let k = firstLetter + 1; k < lastLetter; k++) {
    const ch = out[k];
    const d = LEET_DIGIT[ch];
    if (d !== undefined) {
      out[k] = d;
      interiorLeet = true;
      continue;
    }
    const s = LEET_SYMBOL[ch];
    if (s === undefined) continue;
    if (ch === '!' && isSentenceBreak(out[k - 1], out[k + 1])) continue;
    if (ch === '@' && looksLikeEmail(chars, end)) continue;
    out[k] = s;
    interiorLeet = true;
  }

  // Leading edge: "1diot", "5chwein", "$chwein" (one character, 3+ letters), or up to two
  // digits when the word already has leet inside ("1d10t"). Trailing digits are folded only in
  // words with leet inside ("h4ss3"): "Teil1", "iPhone8", "covid19" are names with numbers.
  const leadLen = firstLetter - start;
  const trailLen = end - 1 - lastLetter;
  if (leadLen > 0 && (interiorLeet ? leadLen <= 2 : leadLen === 1 && letters >= 3)) {
    let all = true;
    for (let k = start; k < firstLetter; k++) if (!(out[k] in LEET_DIGIT) && out[k] !== '$') all = false;
    if (all) for (let k = start; k < firstLetter; k++) out[k] = LEET_DIGIT[out[k]] ?? LEET_SYMBOL[out[k]];
  }
  if (interiorLeet && trailLen > 0 && trailLen <= 2) {
    let all = true;
    for (let k = lastLetter + 1; k < end; k++) if (!(out[k] in LEET_DIGIT)) all = false;
    if (all) for (let k = lastLetter + 1; k < end; k++) out[k] = LEET_DIGIT[out[k]];
  }
}

// "Danke!Super" is punctuation (lower case, then a capital); "Id!ot" and "ID!OT" hold an i.
function isSentenceBreak(prev: string | undefined, next: string | undefined): boolean {
  if (prev === undefined || next === undefined || !isLetter(next)) return true;
  const nextUpper = next !== next.toLowerCase();
  const prevUpper = prev !== prev.toLowerCase();
  return nextUpper && !prevUpper;
}

// "name@example.com": the word is followed by "." and a letter.
function looksLikeEmail(chars: string[], end: number): boolean {
  return chars[end] === '.' && end + 1 < chars.length && isLetter(chars[end + 1]);
}

const SPACED_SEPARATOR = new Set([' ', '.', '-', '_', '*', '·', '/', '•']);

function isAsciiLetter(ch: string): boolean {
  return ch.length === 1 && ch >= 'a' && ch <= 'z';
}

/** Step 5: join spaced-out single letters. Input is lower-cased, folded code points. */
function joinSpacedLetters(chars: string[]): string[] {
  const n = chars.length;
  // Single-letter tokens: a letter (or a leet digit) with no word character on either side.
  const isSingle = (k: number): 0 | 1 | 2 => {
    const ch = chars[k];
    const kind = isAsciiLetter(ch) ? 1 : ch in LEET_DIGIT ? 2 : 0;
    if (kind === 0) return 0;
    if (k > 0 && isWordChar(chars[k - 1]) && !(chars[k - 1] in LEET_SYMBOL)) return 0;
    if (k + 1 < n && isWordChar(chars[k + 1]) && !(chars[k + 1] in LEET_SYMBOL)) return 0;
    return kind;
  };
  const out: string[] = [];
  let i = 0;
  while (i < n) {
    const kind = isSingle(i);
    if (kind !== 1) {
      out.push(chars[i]);
      i++;
      continue;
    }
    // Collect a run: single, separators (1-3 chars), single, ...
    // The separator must be the same all along: "i.d.i.o.t", "i. d. i. o. t.", "I d i o t";
    // so "u.s.w. z. B." becomes "usw. z. b.", not "uswzb.".
    const positions: number[] = [i];
    let separator: string | null = null;
    let k = i + 1;
    for (;;) {
      let s = k;
      while (s < n && s - k < 3 && SPACED_SEPARATOR.has(chars[s])) s++;
      if (s === k || s >= n || SPACED_SEPARATOR.has(chars[s])) break;
      const sep = chars.slice(k, s).join('');
      if (separator !== null && sep !== separator) break;
      if (isSingle(s) === 0) break;
      separator = sep;
      positions.push(s);
      k = s + 1;
    }
    // A leet digit counts only between two letters; trim digits at the run's ends.
    while (positions.length > 0 && !isAsciiLetter(chars[positions[positions.length - 1]])) positions.pop();
    if (positions.length >= 3) {
      for (const p of positions) out.push(LEET_DIGIT[chars[p]] ?? chars[p]);
      i = positions[positions.length - 1] + 1;
    } else {
      out.push(chars[i]);
      i++;
    }
  }
  return out;
}

/** Step 6: any letter repeated 3+ times becomes 2. */
function squeezeRepeats(chars: string[]): string {
  const out: string[] = [];
  let prev = '';
  let run = 0;
  for (const ch of chars) {
    if (ch === prev) run++;
    else {
      prev = ch;
      run = 1;
    }
    if (run <= 2 || !isLetter(ch)) out.push(ch);
  }
  return out.join('');
}

export function foldText(normalised: string): string {
  // Code points, so that astral characters are single units.
  const worded = foldWords(Array.from(normalised)).join('');
  // Lower-case the whole string at once (context-aware: Greek final sigma), then fold the
  // non-ASCII characters one by one; toLowerCase may have produced several code points
  // (İ → i + combining dot), which are folded separately.
  const lowered = worded.toLowerCase();
  let folded = '';
  let asciiFrom = 0;
  for (let i = 0; i < lowered.length; i++) {
    const c = lowered.charCodeAt(i);
    if (c < 0x80) continue;
    folded += lowered.slice(asciiFrom, i);
    const wide = c >= 0xd800 && c <= 0xdbff && i + 1 < lowered.length;
    folded += foldChar(wide ? lowered.slice(i, i + 2) : lowered[i]);
    if (wide) i++;
    asciiFrom = i + 1;
  }
  folded += lowered.slice(asciiFrom);
  const joined = joinSpacedLetters(Array.from(folded));
  return squeezeRepeats(joined).replace(BLANK, ' ').trim();
}

export function normaliseText(text: string): NormalisedText {
  const normalised = normaliseForReading(text);
  return { normalised, folded: foldText(normalised) };
}
