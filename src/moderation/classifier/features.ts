// Hashed text features for the learned classifier: word unigrams + bigrams and character n-grams
// inside word boundaries, hashed with a sign into 2^bits buckets ("feature hashing").
//
// Input is the `folded` text (normaliseText().folded: lower case, umlauts as ae/oe/ue/ss, leet and
// homoglyphs folded), so "Idi0t", "IDIOT" and "Іdiot" give the same features.
//
// Tokens (one pass over UTF-16 code units, no regex, no substrings):
//   - words: runs of letters/digits (any script); a word of digits only becomes the token <num>;
//   - "@handle" becomes <user> (GermEval anonymises users; platforms mention people the same way);
//   - "http://…", "https://…", "www.…" become <url>;
//   - every other non-space, non-ASCII character (emoji, symbols) and "!" / "?" are symbol tokens:
//     unigram features of their own, outside the word sequence;
//   - "#tag" is read as the word "tag" ('#' is a separator).
// Features:
//   - word block: word unigrams and word bigrams (over words, <user>, <url>, <num>);
//   - char block: for each word w, the n-grams (n = charMin..charMax) of "\x01" + w + "\x01", so
//     that prefixes and suffixes are their own features ("idiot" → "\x01id", "iot\x01", …).
//     Char n-grams carry German: compounds ("Volksverräter", "Drecksmerkel"), inflections and
//     misspellings share pieces with the words a model has seen.
// Hashing: FNV-1a over code units, a namespace seed per feature kind, then the murmur3 finaliser;
// the low bits pick the bucket, bit 31 the sign (signed hashing: collisions cancel on average
// instead of adding up). Counts per bucket are scaled sublinearly (1 + ln tf) and each block is
// L2-normalised, then weighted: word block × sqrt(wordShare), char block × sqrt(1 − wordShare),
// so a whole vector has length ≈ 1.
//
// Deterministic: the same text and options give the same vector on every platform and version of
// Node (integer arithmetic with Math.imul only).

export interface FeatureOptions {
  /** log2 of the number of buckets (16..22). */
  bits: number;
  /** Longest word n-gram: 1 = unigrams, 2 = + bigrams. */
  wordNgrams: 1 | 2;
  /** Character n-gram lengths (in code units, including the word-boundary marker). */
  charMin: number;
  charMax: number;
  /** Share of the squared vector length given to the word block (0..1); the rest is characters. */
  wordShare: number;
  /** Count scaling: 1 + ln(tf) when true, tf when false. */
  sublinearTf: boolean;
}

export const DEFAULT_FEATURES: FeatureOptions = {
  bits: 20,
  wordNgrams: 2,
  charMin: 2,
  charMax: 5,
  wordShare: 0.5,
  sublinearTf: true,
};

export function checkFeatureOptions(o: FeatureOptions): void {
  const bad = (field: string, why: string) => { throw new Error(`features.${field}: ${why}`); };
  if (!Number.isInteger(o.bits) || o.bits < 10 || o.bits > 24) bad('bits', `must be an integer 10..24, got ${o.bits}`);
  if (o.wordNgrams !== 1 && o.wordNgrams !== 2) bad('wordNgrams', `must be 1 or 2, got ${o.wordNgrams}`);
  if (!Number.isInteger(o.charMin) || !Number.isInteger(o.charMax) || o.charMin < 1 || o.charMax < o.charMin || o.charMax > 8) {
    bad('charMin/charMax', `need 1 <= charMin <= charMax <= 8, got ${o.charMin}..${o.charMax}`);
  }
  if (!(o.wordShare >= 0 && o.wordShare <= 1)) bad('wordShare', `must be within 0..1, got ${o.wordShare}`);
}

/** A sparse vector; `index` may hold an index twice (word and char block): dot products just sum. */
export interface FeatureVector {
  index: Int32Array;
  value: Float32Array;
  length: number;
}

// ---------------------------------------------------------------------------------------------
// hashing

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

// Namespace seeds: the same string as a word, a char n-gram or a symbol lands in different buckets.
const NS_WORD = 0x2d358dcc | 0;
const NS_BIGRAM = 0x6a09e667 | 0;
const NS_CHAR = 0x3c6ef372 | 0;
const NS_SYMBOL = 0x510e527f | 0;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

function fnvString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

const TOKEN_USER = fnvString('<user>');
const TOKEN_URL = fnvString('<url>');
const TOKEN_NUM = fnvString('<num>');
const BOUNDARY = 1; // code unit that marks a word's start and end in char n-grams

// ---------------------------------------------------------------------------------------------
// character classes (a lazily filled table for the BMP; astral letters are rare and tested directly)

const LETTER_OR_NUMBER = /[\p{L}\p{N}\p{M}]/u;
const classTable = new Int8Array(65536).fill(-1); // -1 unknown, 0 other, 1 word character

function isWordUnit(c: number): boolean {
  if (c < 0x80) return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a);
  let k = classTable[c];
  if (k === -1) {
    // Surrogates are judged as a pair by the caller; on their own they are "other".
    k = c >= 0xd800 && c <= 0xdfff ? 0 : LETTER_OR_NUMBER.test(String.fromCharCode(c)) ? 1 : 0;
    classTable[c] = k;
  }
  return k === 1;
}

function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function startsWithUrl(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  if (c === 0x68 /* h */) return s.startsWith('http://', i) || s.startsWith('https://', i);
  if (c === 0x77 /* w */) return s.startsWith('www.', i);
  return false;
}

// ---------------------------------------------------------------------------------------------
// the featuriser

export interface Featuriser {
  readonly options: Readonly<FeatureOptions>;
  /**
   * Features of one folded text. The vector is a view into buffers owned by the featuriser and
   * is overwritten by the next call: copy it (copyVector) to keep it.
   */
  featurise(folded: string): FeatureVector;
}

export function copyVector(v: FeatureVector): FeatureVector {
  return { index: v.index.slice(0, v.length), value: v.value.slice(0, v.length), length: v.length };
}

export function createFeaturiser(options: FeatureOptions): Featuriser {
  checkFeatureOptions(options);
  const opts = Object.freeze({ ...options });
  const mask = (1 << opts.bits) - 1;
  const { charMin, charMax, wordNgrams, sublinearTf } = opts;
  const wordScale = Math.sqrt(opts.wordShare);
  const charScale = Math.sqrt(1 - opts.wordShare);

  // Signed counts per bucket for the block being built, and which buckets were touched. A bucket
  // whose count returns to 0 (signed collision) and is touched again is listed twice; the second
  // listing finds the count already reset to 0 in flushBlock and is skipped.
  const counts = new Int32Array(mask + 1);
  let touched = new Int32Array(1024);
  let nTouched = 0;
  // Output.
  let outIndex = new Int32Array(2048);
  let outValue = new Float32Array(2048);
  let outLength = 0;
  // Word hashes of the current text, for bigrams; word spans for char n-grams.
  let wordHashes = new Int32Array(256);
  let nWords = 0;
  let spanStart = new Int32Array(256);
  let spanEnd = new Int32Array(256);
  let nSpans = 0;

  function add(h: number, ns: number): void {
    const f = fmix32(h ^ ns);
    const b = f & mask;
    const sign = f < 0 ? -1 : 1; // bit 31
    if (counts[b] === 0) {
      if (nTouched === touched.length) {
        const t = new Int32Array(touched.length * 2);
        t.set(touched);
        touched = t;
      }
      touched[nTouched++] = b;
    }
    counts[b] += sign;
  }

  function flushBlock(scale: number): void {
    const start = outLength;
    if (outLength + nTouched > outIndex.length) {
      [outIndex, outValue] = growSparse(outIndex, outValue, outLength, outLength + nTouched);
    }
    let norm = 0;
    for (let k = 0; k < nTouched; k++) {
      const b = touched[k];
      const c = counts[b];
      counts[b] = 0;
      if (c === 0) continue; // cancelled by a signed collision, or listed twice
      const a = Math.abs(c);
      const v = sublinearTf ? Math.sign(c) * (1 + Math.log(a)) : c;
      norm += v * v;
      outIndex[outLength] = b;
      outValue[outLength] = v;
      outLength++;
    }
    nTouched = 0;
    if (norm > 0) {
      const s = scale / Math.sqrt(norm);
      for (let k = start; k < outLength; k++) outValue[k] *= s;
    }
  }

  function pushWord(h: number): void {
    if (nWords === wordHashes.length) {
      const t = new Int32Array(nWords * 2);
      t.set(wordHashes);
      wordHashes = t;
    }
    wordHashes[nWords++] = h;
  }

  function pushSpan(a: number, b: number): void {
    if (nSpans === spanStart.length) {
      const s = new Int32Array(nSpans * 2);
      s.set(spanStart);
      spanStart = s;
      const e = new Int32Array(nSpans * 2);
      e.set(spanEnd);
      spanEnd = e;
    }
    spanStart[nSpans] = a;
    spanEnd[nSpans] = b;
    nSpans++;
  }

  function featurise(s: string): FeatureVector {
    outLength = 0;
    nWords = 0;
    nSpans = 0;
    const n = s.length;

    // Pass 1: tokens. Word and symbol unigrams go to the word block right away.
    let i = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (isSpace(c)) { i++; continue; }
      if (c === 0x40 /* @ */ && i + 1 < n && (isWordUnit(s.charCodeAt(i + 1)) || s.charCodeAt(i + 1) === 0x5f)) {
        let j = i + 1;
        while (j < n && (isWordUnit(s.charCodeAt(j)) || s.charCodeAt(j) === 0x5f)) j++;
        add(TOKEN_USER, NS_WORD);
        pushWord(TOKEN_USER);
        i = j;
        continue;
      }
      if (startsWithUrl(s, i)) {
        let j = i;
        while (j < n && !isSpace(s.charCodeAt(j))) j++;
        add(TOKEN_URL, NS_WORD);
        pushWord(TOKEN_URL);
        i = j;
        continue;
      }
      const high = c >= 0xd800 && c <= 0xdbff && i + 1 < n;
      if (isWordUnit(c) || (high && LETTER_OR_NUMBER.test(s.slice(i, i + 2)))) {
        let j = i;
        let h = FNV_OFFSET;
        let digits = true;
        for (;;) {
          const d = s.charCodeAt(j);
          if (j < n && isWordUnit(d)) {
            h = Math.imul(h ^ d, FNV_PRIME);
            if (!isDigit(d)) digits = false;
            j++;
          } else if (j + 1 < n && d >= 0xd800 && d <= 0xdbff && LETTER_OR_NUMBER.test(s.slice(j, j + 2))) {
            h = Math.imul(h ^ d, FNV_PRIME);
            h = Math.imul(h ^ s.charCodeAt(j + 1), FNV_PRIME);
            digits = false;
            j += 2;
          } else break;
        }
        const token = digits ? TOKEN_NUM : h;
        add(token, NS_WORD);
        pushWord(token);
        if (!digits) pushSpan(i, j);
        i = j;
        continue;
      }
      // Symbols: "!" and "?" and every non-ASCII character that is not a letter (emoji …).
      if (c === 0x21 || c === 0x3f || c >= 0x80) {
        let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
        if (high) h = Math.imul(h ^ s.charCodeAt(i + 1), FNV_PRIME);
        add(h, NS_SYMBOL);
        i += high ? 2 : 1;
        continue;
      }
      i++; // other ASCII punctuation: a separator only
    }
    if (wordNgrams >= 2) {
      for (let k = 1; k < nWords; k++) {
        add(Math.imul(wordHashes[k - 1] ^ 0x9e3779b9, 0x85ebca6b) ^ wordHashes[k], NS_BIGRAM);
      }
    }
    flushBlock(wordScale);

    // Pass 2: character n-grams of each word, with boundary markers.
    for (let w = 0; w < nSpans; w++) {
      const a = spanStart[w];
      const len = spanEnd[w] - a + 2; // padded length
      for (let st = 0; st < len; st++) {
        let h = FNV_OFFSET;
        const stop = Math.min(len, st + charMax);
        for (let k = st; k < stop; k++) {
          const cu = k === 0 || k === len - 1 ? BOUNDARY : s.charCodeAt(a + k - 1);
          h = Math.imul(h ^ cu, FNV_PRIME);
          if (k - st + 1 >= charMin) add(h, NS_CHAR);
        }
      }
    }
    flushBlock(charScale);

    return { index: outIndex, value: outValue, length: outLength };
  }

  return { options: opts, featurise };
}

/** Doubles a sparse vector's index/value arrays until `needed` fits, keeping the first `used`. */
export function growSparse(index: Int32Array<ArrayBuffer>, value: Float32Array<ArrayBuffer>, used: number, needed: number): [Int32Array<ArrayBuffer>, Float32Array<ArrayBuffer>] {
  let size = index.length * 2;
  while (size < needed) size *= 2;
  const ni = new Int32Array(size);
  ni.set(index.subarray(0, used));
  const nv = new Float32Array(size);
  nv.set(value.subarray(0, used));
  return [ni, nv];
}
