// German compounds for claim matching, without a dictionary: the claims' own words are the
// vocabulary. Two directions:
// - a comment's long word that contains a claim word as one of its halves ("bleiverseucht" holds
//   "Blei" and "verseucht"; "Wahlgeräte" holds "Wahl");
// - a comment's word that is a half of a claim's compound ("Strom" and "Rechnung" against
//   "Strompreis": "Strom" is the front half).
// Halves are at least MIN_PART letters; a linking "s"/"es"/"n"/"en"/"e" between them is allowed.
// Everything is in matching keys (a concept's key where the thesaurus has the word, concepts.ts).
// A half is compared after dropping a common ending, not through the stemmer: the stemmer is
// the costly part of matching, and a long word has many possible splits.
import { stemOf } from './words.js';
import { conceptOf, stemsOf } from './concepts.js';

const MIN_PART = 4;
const LINKS = ['s', 'es', 'n', 'en', 'e'];
const ENDINGS = ['', 'e', 'n', 'en', 'er', 'ern', 'es', 's', 'em'];

export class CompoundParts {
  /** The claims' words: stem → matching key, and the keys. */
  private readonly stems = new Map<string, string>();
  private readonly keys = new Set<string>();
  /** Key of a half of a claim's compound → the keys of the claim words it is part of. */
  private readonly halves = new Map<string, string[]>();
  /** The first MIN_PART letters of every stem that leads to a claim word: a half that starts
   * otherwise cannot be one, and most halves of most words are ruled out by this one lookup. */
  private readonly starts = new Set<string>();

  /** A claim's word (folded: lower case, umlauts written out) and its stem. */
  add(folded: string, stem: string): void {
    const key = conceptOf(stem);
    if (stem.length >= MIN_PART) {
      this.stems.set(stem, key);
      this.keys.add(key);
      for (const s of [stem, ...stemsOf(key)]) if (s.length >= MIN_PART) this.starts.add(s.slice(0, MIN_PART));
    }
    for (const half of splits(folded)) {
      const h = stemOf(half);
      if (h.length < MIN_PART) continue;
      const k = conceptOf(h);
      if (k === key) continue;
      const list = this.halves.get(k);
      if (!list) this.halves.set(k, [key]);
      else if (!list.includes(key)) list.push(key);
    }
  }

  /** The keys of claim words a comment's word (folded, and its key) stands for through a compound, either way. */
  of(folded: string, key: string): string[] {
    const out = this.halves.get(key)?.slice() ?? [];
    const n = folded.length;
    if (n < 2 * MIN_PART) return out;
    const half = (h0: string) => {
      for (const end of ENDINGS) {
        if (!h0.endsWith(end) || h0.length - end.length < MIN_PART) continue;
        const h = end ? h0.slice(0, -end.length) : h0;
        const c = conceptOf(h);
        const k = this.stems.get(h) ?? (this.keys.has(c) ? c : undefined);
        if (k !== undefined && k !== key && !out.includes(k)) out.push(k);
      }
    };
    const front = this.starts.has(folded.slice(0, MIN_PART));
    for (let i = MIN_PART; i <= n - MIN_PART; i++) {
      if (front) {
        const left = folded.slice(0, i);
        half(left);
        for (const l of LINKS) if (left.endsWith(l) && left.length - l.length >= MIN_PART) half(left.slice(0, -l.length));
      }
      if (this.starts.has(folded.slice(i, i + MIN_PART))) half(folded.slice(i));
    }
    return out;
  }
}

/** Both halves of every split of a word long enough to be a compound, with and without a linking letter. */
function splits(word: string): string[] {
  const out: string[] = [];
  if (word.length < 2 * MIN_PART) return out;
  for (let i = MIN_PART; i <= word.length - MIN_PART; i++) {
    const left = word.slice(0, i);
    out.push(left, word.slice(i));
    for (const l of LINKS) if (left.endsWith(l) && left.length - l.length >= MIN_PART) out.push(left.slice(0, -l.length));
  }
  return out;
}
