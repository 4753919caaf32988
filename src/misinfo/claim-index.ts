// Paraphrase-tolerant matching of texts against a workspace's known claims, in process, without
// a network model. A claim is a weighted set of features: word keys (the word's concept where the
// thesaurus has it, so "Spritze" meets "Impfung" and "cash" meets "Bargeld"; else its stem), the
// first five letters of long stems (so "Impfstoff" and "Impfstoffe" meet where the stemmers
// differ), and pairs of neighbouring keys (word order carries some meaning). A feature weighs by
// how rare it is among the claims (IDF). German compounds count in part (compounds.ts).
// The score of a claim for a text is the share of the claim's weight the text contains
// (containment, not Jaccard: a comment may say much more than the claim); a claim is scored only
// when the text shares enough of its distinctive words (MIN_STEM_SHARE).
// Measured on the hand-written fixture (bench/fixtures/claim-paraphrases*.ts, 200 claims × 10
// paraphrases, 200 same-topic near-misses, among 10,000 claims): the thesaurus and compounds were
// tuned on the first file (100 claims); the second, by another hand, was not read, but its totals
// were seen while choosing the last two settings. At 0.3 and a share of 0.4: first P 0.953 /
// R 0.791, second P 0.964 / R 0.830, both P 0.958 / R 0.806; stems alone gave R 0.62 / 0.64. The
// price: 35 of the 200 near-misses (same topic, not the claim) reach 0.3. MinHash over shingles
// estimates Jaccard, which a long comment repeating a short claim keeps low: it is used for
// campaigns (near-copies of whole texts), not for claims.
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
const MIN_STEM_SHARE = 0.4;
/** Features in more claims than this share carry too little to look up (their weight counts still). */
const COMMON_SHARE = 0.02;
const PAIR_WEIGHT = 0.5;
const HEAD_WEIGHT = 0.5;
/** A claim word met as a half of a compound (compounds.ts) counts this share of its weight. */
const PART_WEIGHT = 0.75;
/** Words shorter than this are no compounds; their halves are not looked for. */
const COMPOUND_LETTERS = 8;

export interface ClaimText { id: string; texts: string[] }
export interface ClaimMatch { claimId: string; score: number; start: number; end: number; passage: string }

// Features are objects reached by number: a stem or head by its id among the claims' stems and
// heads, a pair by its two stem ids (looking up freshly built strings like "stem stem" in one
// large map was most of the matching time). A text's features are marked, then only the claims
// sharing enough distinctive stems with it (see MIN_STEM_SHARE) are scored: walking every posting
// of every feature to score all claims that share anything was the other large cost.
type Kind = 0 | 1 | 2;
const KIND_WEIGHT = [1, HEAD_WEIGHT, PAIR_WEIGHT];

interface Feature {
  /** For a distinctive stem: the claim texts with it. */
  variants: number[];
  /** In more claims than COMMON_SHARE. */
  common: boolean;
  /** The last match() that saw it in its text. */
  seen: number;
  /** The last match() that met it only as a half of a compound. */
  part: number;
}
interface Variant { claimId: string; features: Feature[]; weights: Float64Array; total: number; stemIds: Set<number>; stems: number; need: number }

export class ClaimIndex {
  /** Stems, and heads written '^head', of all claims → their id. */
  private readonly ids = new Map<string, number>();
  /** Per id: the head's id of a stem, or -1. */
  private readonly headOf: number[] = [];
  /** Per id: its feature (dense arrays: sparse ones are slow). */
  private byId: Feature[] = [];
  /** Per first stem id: second stem id → the pair's feature. */
  private pairs: (Map<number, Feature> | undefined)[] = [];
  /** Per claim variant (a claim's German and English text are separate variants). */
  private readonly variants: Variant[] = [];
  /** Variants without distinctive stems: no posting leads to them, so they are always scored. */
  private readonly always: number[] = [];
  /** Per variant: its `need` (read for every touched variant; a typed array is faster than the objects). */
  private needs: Float64Array = new Float64Array(0);
  private shared: Uint16Array | null = null;
  private epoch = 0;
  private readonly compounds = new CompoundParts();

  constructor(claims: ClaimText[]) {
    const parsed: { claimId: string; keys: Map<Feature, Kind>; stemIds: Set<number> }[] = [];
    const feature = (): Feature => ({ variants: [], common: false, seen: 0, part: 0 });
    const byId = new Map<number, Feature>(), pairs = new Map<number, Map<number, Feature>>();
    const ofId = (id: number) => { let f = byId.get(id); if (!f) byId.set(id, (f = feature())); return f; };
    for (const c of claims) {
      for (const t of c.texts) {
        if (!t.trim()) continue;
        const keys = new Map<Feature, Kind>();
        const words = contentWords(t);
        const stems = words.map((w) => this.intern(conceptOf(w.stem)));
        for (const w of words) this.compounds.add(fold(t.slice(w.start, w.end)), w.stem);
        for (let i = 0; i < stems.length; i++) {
          keys.set(ofId(stems[i]), 0);
          if (this.headOf[stems[i]] >= 0) keys.set(ofId(this.headOf[stems[i]]), 1);
          if (i + 1 < stems.length) {
            let m = pairs.get(stems[i]);
            if (!m) pairs.set(stems[i], (m = new Map()));
            let f = m.get(stems[i + 1]);
            if (!f) m.set(stems[i + 1], (f = feature()));
            keys.set(f, 2);
          }
        }
        if (keys.size) parsed.push({ claimId: c.id, keys, stemIds: new Set(stems) });
      }
    }
    this.byId = Array.from({ length: this.ids.size }, (_, id) => ofId(id));
    this.pairs = Array.from({ length: this.ids.size }, (_, id) => pairs.get(id));
    const df = new Map<Feature, number>();
    for (const p of parsed) for (const k of p.keys.keys()) df.set(k, (df.get(k) ?? 0) + 1);
    const n = parsed.length;
    const common = Math.max(20, Math.floor(n * COMMON_SHARE));
    for (const [f, d] of df) f.common = d > common;
    for (const p of parsed) {
      const v = this.variants.length;
      const features = [...p.keys.keys()];
      const weights = new Float64Array(features.map((f) => KIND_WEIGHT[p.keys.get(f)!] * Math.log(1 + (n + 1) / (df.get(f)! + 0.5))));
      let stems = 0, rareStems = 0;
      for (const [f, kind] of p.keys) {
        if (kind !== 0) continue;
        stems++;
        if (!f.common) { rareStems++; f.variants.push(v); }
      }
      // Distinctive stems the text must share (MIN_SHARED, MIN_STEM_SHARE; a stem in many claims is a topic word).
      const need = Math.max(Math.min(MIN_SHARED, rareStems), rareStems * MIN_STEM_SHARE);
      this.variants.push({ claimId: p.claimId, features, weights, total: weights.reduce((a, b) => a + b, 0), stemIds: p.stemIds, stems, need });
      if (need === 0) this.always.push(v);
    }
    this.needs = Float64Array.from(this.variants, (x) => x.need);
  }

  private intern(stem: string): number {
    let id = this.ids.get(stem);
    if (id === undefined) {
      this.ids.set(stem, (id = this.ids.size));
      this.headOf[id] = -1;
      // Heads for plain stems only: a concept (thesaurus) already joins a word's forms.
      if (stem.length > HEAD + 1 && stem[0] !== '=') {
        const head = '^' + stem.slice(0, HEAD);
        let h = this.ids.get(head);
        if (h === undefined) { this.ids.set(head, (h = this.ids.size)); this.headOf[h] = -1; }
        this.headOf[id] = h;
      }
    }
    return id;
  }

  get size(): number { return this.variants.length; }

  /** Claims whose score reaches `threshold`, best first, at most one per claim, with the passage. */
  match(text: string, threshold: number, limit = 5): ClaimMatch[] {
    const words = contentWords(text);
    if (words.length < MIN_SHARED) return [];
    const epoch = ++this.epoch;
    // Distinctive stems shared per claim text: a reused array, reset through the list of touched entries.
    const shared = (this.shared ??= new Uint16Array(this.variants.length));
    const touched: number[] = [];
    // Per word: its stem's id (-1: in no claim, so neither it nor its pairs can match).
    const stems = new Int32Array(words.length);
    const keys = words.map((w) => conceptOf(w.stem));
    for (let i = 0; i < words.length; i++) {
      const s = keys[i];
      const id = this.ids.get(s);
      stems[i] = id ?? -1;
      if (id === undefined) {
        if (s.length > HEAD + 1 && s[0] !== '=') { const head = this.ids.get('^' + s.slice(0, HEAD)); if (head !== undefined) this.byId[head].seen = epoch; }
        continue;
      }
      const f = this.byId[id];
      if (f.seen !== epoch) {
        f.seen = epoch;
        for (const v of f.variants) if (shared[v]++ === 0) touched.push(v);
      }
      if (this.headOf[id] >= 0) this.byId[this.headOf[id]].seen = epoch;
      if (i > 0 && stems[i - 1] >= 0) { const pair = this.pairs[stems[i - 1]]?.get(id); if (pair) pair.seen = epoch; }
    }
    // Claim words met only through a compound, either way round (compounds.ts): they count
    // PART_WEIGHT, and as shared stems; per word the ids met, for the passage.
    const parts: number[][] = [];
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      // Only words no claim has: a claim's own word is matched as itself, and looking for the
      // halves of every known word made matching four times slower on the bench's corpus.
      if (stems[i] >= 0) continue;
      for (const key of this.compounds.of(w.end - w.start >= COMPOUND_LETTERS ? fold(text.slice(w.start, w.end)) : '', keys[i])) {
        const id = this.ids.get(key);
        if (id === undefined) continue;
        (parts[i] ??= []).push(id);
        const f = this.byId[id];
        if (f.seen === epoch || f.part === epoch) continue;
        f.part = epoch;
        for (const v of f.variants) if (shared[v]++ === 0) touched.push(v);
      }
    }
    const best = new Map<string, { v: number; score: number }>();
    const score = (v: number) => {
      const { features, weights, total, claimId } = this.variants[v];
      let sum = 0;
      for (let k = 0; k < features.length; k++) {
        if (features[k].seen === epoch) sum += weights[k];
        else if (features[k].part === epoch) sum += PART_WEIGHT * weights[k];
      }
      const s = sum / total;
      if (s < threshold) return;
      const prev = best.get(claimId);
      if (!prev || s > prev.score) best.set(claimId, { v, score: s });
    };
    for (const v of touched) {
      if (shared[v] >= this.needs[v]) score(v);
      shared[v] = 0;
    }
    for (const v of this.always) score(v);
    const out: ClaimMatch[] = [];
    for (const [claimId, { v, score }] of best) {
      const { stemIds, stems: claimStems } = this.variants[v];
      const hit: number[] = [];
      for (let i = 0; i < words.length; i++) if ((stems[i] >= 0 && stemIds.has(stems[i])) || parts[i]?.some((id) => stemIds.has(id))) hit.push(i);
      const { start, end } = passage(words, hit, claimStems);
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
