// Words of one meaning (German and English, thesaurus.ts) share one key in claim matching, so
// "Spritze" meets "Impfung" and "cash" meets "Bargeld". Keys are the stem of a group's first word
// with a "=" in front (a concept never collides with a plain stem).
import { CONCEPTS } from './thesaurus.js';
import { stemOf } from './words.js';

const KEYS = new Map<string, string>();
const STEMS = new Map<string, string[]>();
for (const group of CONCEPTS) {
  const key = '=' + stemOf(group[0]);
  for (const word of group) {
    const stem = stemOf(word);
    if (KEYS.has(stem)) continue;
    KEYS.set(stem, key);
    const list = STEMS.get(key);
    if (list) list.push(stem); else STEMS.set(key, [stem]);
  }
}

/** The concept key of a stem, or the stem itself. */
export function conceptOf(stem: string): string {
  return KEYS.get(stem) ?? stem;
}

/** The stems of a concept's words (none for a plain stem). */
export function stemsOf(key: string): readonly string[] {
  return STEMS.get(key) ?? [];
}
