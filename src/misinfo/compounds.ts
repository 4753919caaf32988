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
import { conceptOf } from './concepts.js';

const MIN_PART = 4;
const LINKS = ['s', 'es', 'n', 'en', 'e'];
const ENDINGS = ['', 'e', 'n', 'en', 'er', 'ern', 'es', 's', 'em'];

export class CompoundParts {
  /** The claims' words: stem → matching key, and the keys. */
  private readonly stems = new Map<string, string>();
  private readonly keys = new Set<string>();
  /** Key of a half of a claim's compound → the keys of the claim words it is part of. */
  private readonly halves = new Map<string, string[]>();

  /** A claim's word (folded: lower case, umlauts written out) and its stem. */
  add(folded: string, stem: string): void {
    const key = conceptOf(stem);
    if (stem.length >= MIN_PART) { this.stems.set(stem, key); this.keys.add(key); }
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
    for (const half of splits(folded)) {
      for (const end of ENDINGS) {
        if (!half.endsWith(end) || half.length - end.length < MIN_PART) continue;
        const h = end ? half.slice(0, -end.length) : half;
        const k = this.stems.get(h) ?? (this.keys.has(conceptOf(h)) ? conceptOf(h) : undefined);
        if (k !== undefined && k !== key && !out.includes(k)) out.push(k);
      }
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
