// Paraphrase-tolerant matching of texts against a workspace's known claims, in process, without
// a network model. A claim is a weighted set of features: word stems, the first five letters of
// long stems (so "Impfstoff" and "Impfstoffe", "Regierung" and "Regierungen" meet even where the
// stemmers differ), and pairs of neighbouring stems (word order carries some meaning). A feature weighs by how rare it is among the claims (IDF).
// The score of a claim for a text is the share of the claim's weight the text contains
// (containment, not Jaccard: a comment may say much more than the claim). Candidates come from an
// inverted index, so the work per text is its features times their (short) posting lists.
// Measured on the paraphrase fixture (bench/fixtures/claim-paraphrases.ts): at 0.3, with at
// least half of the claim's stems present, precision 0.98, recall 0.93 (without that condition
// precision was 0.95: a comment sharing two topic words scored 0.32); letter 4-grams of long stems (for German compounds) added nothing there and
// were dropped. MinHash over shingles estimates Jaccard, which a long comment repeating a short
// claim keeps low: it is used for campaigns (near-copies of whole texts), not for claims.
/** The score from which a match is a signal (see the measurement above). */
export const CLAIM_THRESHOLD = 0.3;
import { contentWords, fold, type Word } from './words.js';
import { CompoundParts } from './compounds.js';
import { conceptOf } from './concepts.js';

/** Stems longer than this also give their head as a feature. */
const HEAD = 5;
/** A claim must share at least this many distinct word stems with the text. */
const MIN_SHARED = 2;
/** …and at least this share of the claim's distinctive word stems (a topic word or two is not the claim). */
const MIN_STEM_SHARE = 0.5;
/** Features in more claims than this share carry too little to look up (their weight counts still). */
const COMMON_SHARE = 0.02;
const PAIR_WEIGHT = 0.5;
const HEAD_WEIGHT = 0.5;
/** A claim word met as a half of a compound (compounds.ts) counts this share of its weight. */
const PART_WEIGHT = 0.75;
/** Words shorter than this are no compounds; the halves need not be looked for. */
const COMPOUND_LETTERS = 8;

export interface ClaimText { id: string; texts: string[] }
export interface ClaimMatch { claimId: string; score: number; start: number; end: number; passage: string }

interface Feature { key: string; weight: number; word: number }

type Kind = 0 | 1 | 2;
/** The matching key of each word: its concept (thesaurus) or its stem. */
function keysOf(words: Word[]): string[] {
  return words.map((w) => conceptOf(w.stem));
}

function features(words: Word[], keys: string[]): { key: string; kind: Kind; word: number }[] {
  const out: { key: string; kind: Kind; word: number }[] = [];
  for (let i = 0; i < words.length; i++) {
    const s = words[i].stem, k = keys[i];
    out.push({ key: k, kind: 0, word: i });
    // The head of a word no concept covers ("Impfstoff" and "Impfstoffe" where stemmers differ).
    if (k === s && s.length > HEAD + 1) out.push({ key: '^' + s.slice(0, HEAD), kind: 1, word: i });
    if (i + 1 < words.length) out.push({ key: k + ' ' + keys[i + 1], kind: 2, word: i });
  }
  return out;
}

const KIND_WEIGHT = [1, HEAD_WEIGHT, PAIR_WEIGHT];

export class ClaimIndex {
  private readonly postings = new Map<string, number[]>();
  private readonly df = new Map<string, number>();
  /** Per claim variant (a claim's German and English text are separate variants). */
  private readonly variants: { claimId: string; keys: Map<string, number>; total: number; stems: number; rareStems: number; commonWeight: number }[] = [];
  private readonly common: number;
  private acc: Float64Array | null = null;
  private readonly compounds = new CompoundParts();

  constructor(claims: ClaimText[]) {
    const parsed: { claimId: string; keys: Map<string, number> }[] = [];
    for (const c of claims) {
      for (const t of c.texts) {
        if (!t.trim()) continue;
        const keys = new Map<string, number>();
        const words = contentWords(t);
        for (const f of features(words, keysOf(words))) keys.set(f.key, f.kind);
        for (const w of words) this.compounds.add(fold(t.slice(w.start, w.end)), w.stem);
        if (keys.size) parsed.push({ claimId: c.id, keys });
      }
    }
    for (const p of parsed) for (const k of p.keys.keys()) this.df.set(k, (this.df.get(k) ?? 0) + 1);
    const n = parsed.length;
    this.common = Math.max(20, Math.floor(n * COMMON_SHARE));
    for (const p of parsed) {
      const weighted = new Map<string, number>();
      let total = 0;
      let stems = 0;
      let rareStems = 0;
      let commonWeight = 0;
      for (const [k, kind] of p.keys) {
        const w = KIND_WEIGHT[kind] * this.idf(k, n);
        weighted.set(k, w);
        total += w;
        const common = (this.df.get(k) ?? 0) > this.common;
        if (kind === 0) { stems++; if (!common) rareStems++; }
        if (common) commonWeight += w;
      }
      const v = this.variants.length;
      this.variants.push({ claimId: p.claimId, keys: weighted, total, stems, rareStems, commonWeight });
      for (const k of weighted.keys()) {
        if ((this.df.get(k) ?? 0) > this.common) continue;
        let list = this.postings.get(k);
        if (!list) this.postings.set(k, (list = []));
        list.push(v);
      }
    }
  }

  get size(): number { return this.variants.length; }

  private idf(key: string, n: number): number {
    return Math.log(1 + (n + 1) / ((this.df.get(key) ?? 0) + 0.5));
  }

  /** Claims whose score reaches `threshold`, best first, at most one per claim, with the passage. */
  match(text: string, threshold: number, limit = 5): ClaimMatch[] {
    const words = contentWords(text);
    if (words.length < MIN_SHARED) return [];
    const wordKeys = keysOf(words);
    const feats = features(words, wordKeys);
    const seen = new Set<string>();
    // Accumulated weight per claim text: a reused array, reset through the list of touched entries.
    const acc = (this.acc ??= new Float64Array(this.variants.length));
    const touched: number[] = [];
    for (const f of feats) {
      if (seen.has(f.key)) continue;
      seen.add(f.key);
      const list = this.postings.get(f.key);
      if (!list) continue;
      for (let i = 0; i < list.length; i++) {
        const v = list[i];
        if (acc[v] === 0) touched.push(v);
        acc[v] += this.variants[v].keys.get(f.key)!;
      }
    }
    // Claim words met through a compound (either way round), each once, and only when the word
    // itself was not found: the comment's words where they were met, for the passage.
    const partial = new Map<string, number[]>();
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      const parts = this.compounds.of(w.end - w.start >= COMPOUND_LETTERS ? fold(text.slice(w.start, w.end)) : '', wordKeys[i]);
      for (const stem of parts) {
        if (seen.has(stem)) continue;
        const at = partial.get(stem);
        if (at) { at.push(i); continue; }
        partial.set(stem, [i]);
        const list = this.postings.get(stem);
        if (!list) continue;
        for (let k = 0; k < list.length; k++) {
          const v = list[k];
          if (acc[v] === 0) touched.push(v);
          acc[v] += PART_WEIGHT * this.variants[v].keys.get(stem)!;
        }
      }
    }
    const best = new Map<string, { v: number; score: number }>();
    for (const v of touched) {
      const sum = acc[v];
      acc[v] = 0;
      const variant = this.variants[v];
      // Common features were not looked up: skip the claim when even all of them would not lift
      // it over the threshold (most candidates), else add what the text has of them.
      if ((sum + variant.commonWeight) / variant.total < threshold) continue;
      let score = sum;
      if (variant.commonWeight > 0) for (const [k, w] of variant.keys) if ((this.df.get(k) ?? 0) > this.common && seen.has(k)) score += w;
      score /= variant.total;
      if (score < threshold) continue;
      const prev = best.get(variant.claimId);
      if (!prev || score > prev.score) best.set(variant.claimId, { v, score });
    }
    const out: ClaimMatch[] = [];
    for (const [claimId, { v, score }] of best) {
      const keys = this.variants[v].keys;
      const hit = new Set<number>();
      const shared = new Set<string>();
      for (const f of feats) if (f.kind === 0 && keys.has(f.key)) { hit.add(f.word); if ((this.df.get(f.key) ?? 0) <= this.common) shared.add(f.key); }
      for (const [stem, at] of partial) if (keys.has(stem)) { for (const w of at) hit.add(w); if ((this.df.get(stem) ?? 0) <= this.common) shared.add(stem); }
      // The share counts the claim's distinctive stems only: words in many claims ("heute", "wirklich")
      // turn up in most long comments and would otherwise fill half of a short claim by themselves.
      const stems = this.variants[v].rareStems;
      if (shared.size < Math.min(MIN_SHARED, stems) || shared.size < stems * MIN_STEM_SHARE) continue;
      const { start, end } = passage(words, [...hit].sort((a, b) => a - b), this.variants[v].stems);
      out.push({ claimId, score: Math.min(1, score), start, end, passage: text.slice(start, end) });
    }
    return out.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

/** The densest run of matched words: most hits within a span about twice the claim's length. */
function passage(words: Word[], hits: number[], claimWords: number): { start: number; end: number } {
  const span = Math.max(8, claimWords * 2);
  let bestI = 0, bestJ = 0, i = 0;
  for (let j = 0; j < hits.length; j++) {
    while (hits[j] - hits[i] > span) i++;
    if (j - i > bestJ - bestI) { bestI = i; bestJ = j; }
  }
  return { start: words[hits[bestI]].start, end: words[hits[bestJ]].end };
}
