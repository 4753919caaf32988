// Near-copy detection: MinHash signatures over letter 5-grams of the text with everything but
// letters and digits removed (so spacing, punctuation, emoji and case make no difference; a
// changed word changes only the grams around it), and locality-sensitive hashing in bands: texts
// that agree on one band of rows are candidates, then compared on the whole signature.
// 64 hashes; the first 24 of them form 8 bands of 3 rows: texts with Jaccard 0.6 become candidates
// with probability 0.86, with 0.7 with 0.97, with 0.8 with 0.997; SIMILAR decides on all 64. (Was
// 16 bands of 4: 0.89 / 0.99 / 1.0, but every item cost 16 band rows in the database; campaign
// recall in bench/misinformation.ts stayed 1.000 with 8 × 3. Migration 013 empties the old bands.)
import { foldText } from '../core/text/normalise.js';

export const HASHES = 64;
const ROWS = 3;
export const BANDS = 8;
const GRAM = 5;
/** Texts with fewer letters are too short to call copies ("Danke!", "+1"). */
export const MIN_LETTERS = 30;
/** Estimated Jaccard from which two texts are near-copies. */
export const SIMILAR = 0.6;

// Fixed seeds: signatures stored in the database must stay comparable across restarts.
const A = new Int32Array(HASHES), B = new Int32Array(HASHES);
{
  let s = 0x9e3779b9 | 0;
  const next = () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s | 0; };
  for (let i = 0; i < HASHES; i++) { A[i] = next() | 1; B[i] = next(); }
}

/** The signature of a text, or null when it is too short to compare. */
export function signature(text: string): Int32Array | null {
  return signatureOfFolded(foldText(text));
}

/**
 * The same from the text's folded form (`normaliseText(..).folded`, which the pipeline has
 * already): folding is the costliest step, so the analyser does not fold a second time.
 */
export function signatureOfFolded(folded: string): Int32Array | null {
  const s = folded.replace(/[^\p{L}\p{N}]+/gu, '');
  if (s.length < MIN_LETTERS) return null;
  const sig = new Int32Array(HASHES).fill(0x7fffffff);
  for (let i = 0; i + GRAM <= s.length; i++) {
    let h = 0x811c9dc5 | 0;
    for (let k = i; k < i + GRAM; k++) h = Math.imul(h ^ s.charCodeAt(k), 0x01000193);
    for (let j = 0; j < HASHES; j++) {
      let x = (Math.imul(h, A[j]) + B[j]) | 0;
      x ^= x >>> 15; x = Math.imul(x, 0x2c1b3c6d); x ^= x >>> 12;
      if (x < sig[j]) sig[j] = x;
    }
  }
  return sig;
}

/** One key per band (the band's number is part of it, so keys of different bands never meet). */
export function bandKeys(sig: ArrayLike<number>): number[] {
  const keys: number[] = [];
  for (let b = 0; b < BANDS; b++) {
    let h = Math.imul(b + 1, 0x27d4eb2d);
    for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ sig[b * ROWS + r], 0x01000193) ^ (h >>> 13);
    keys.push(h | 0);
  }
  return keys;
}

export function similarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let same = 0;
  for (let i = 0; i < HASHES; i++) if (a[i] === b[i]) same++;
  return same / HASHES;
}
