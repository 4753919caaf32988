// German compounds in claim matching: a claim word found as a half of a comment's word, and a
// comment's word that is a half of a claim's compound.
import { describe, it, expect } from 'vitest';
import { ClaimIndex, CLAIM_THRESHOLD } from '../../src/misinfo/claim-index.js';
import { CompoundParts } from '../../src/misinfo/compounds.js';
import { contentWords, fold } from '../../src/misinfo/words.js';

const CLAIMS = [
  { id: 'blei', texts: ['Leitungswasser in Nordstadt ist mit Blei verseucht.'] },
  { id: 'strom', texts: ['Die Stadtwerke verdoppeln den Strompreis im Januar.'] },
  { id: 'bus', texts: ['Die Buslinie 7 wird ab Montag eingestellt.'] },
];

describe('compounds', () => {
  const parts = new CompoundParts();
  for (const c of CLAIMS) for (const t of c.texts) for (const w of contentWords(t)) parts.add(fold(t.slice(w.start, w.end)), w.stem);

  it('finds claim words inside a comment word and a comment word inside a claim compound', () => {
    expect(parts.of('bleiverseuchtes', 'bleiverseucht')).toEqual(expect.arrayContaining(['blei', 'verseucht']));
    // "Strom" is the front half of "Strompreis"; "Wasser" the back half of "Leitungswasser".
    expect(parts.of('strom', 'strom').length).toBe(1);
    expect(parts.of('wasser', 'wass').length).toBe(1);
    // Halves shorter than four letters are no evidence.
    expect(parts.of('ab', 'ab')).toEqual([]);
  });

  it('matches a paraphrase that splits or joins the claim\'s compounds, and not an unrelated text', () => {
    const index = new ClaimIndex(CLAIMS);
    expect(index.match('Das Wasser aus der Leitung in Nordstadt ist bleiverseucht!!', CLAIM_THRESHOLD)[0]?.claimId).toBe('blei');
    // "Strom" counts as a half of "Strompreis": the comment scores higher than with another word there.
    const score = (t: string) => index.match(t, 0)[0]?.score ?? 0;
    expect(score('Der Strom bei den Stadtwerken kostet ab Januar das Doppelte')).toBeGreaterThan(score('Der Tarif bei den Stadtwerken kostet ab Januar das Doppelte'));
    expect(index.match('Der Strom bei den Stadtwerken kostet ab Januar das Doppelte', CLAIM_THRESHOLD)[0].passage).toMatch(/^Strom/);
    expect(index.match('Wann fährt der Bus am Montag nach Nordstadt?', CLAIM_THRESHOLD).map((m) => m.claimId)).not.toContain('blei');
  });
});
