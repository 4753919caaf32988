// German compounds in claim matching: a claim word found as a half of a comment's word, and a
// comment's word that is a half of a claim's compound.
import { describe, it, expect } from 'vitest';
import { ClaimIndex, CLAIM_THRESHOLD } from '../../src/misinfo/claim-index.js';
import { CompoundParts } from '../../src/misinfo/compounds.js';
import { contentWords, fold, stemOf } from '../../src/misinfo/words.js';
import { conceptOf } from '../../src/misinfo/concepts.js';

const CLAIMS = [
  { id: 'blei', texts: ['Leitungswasser in Nordstadt ist mit Blei verseucht.'] },
  { id: 'strom', texts: ['Die Stadtwerke verdoppeln den Strompreis im Januar.'] },
  { id: 'bus', texts: ['Die Buslinie 7 wird ab Montag eingestellt.'] },
];

describe('compounds', () => {
  const parts = new CompoundParts();
  for (const c of CLAIMS) for (const t of c.texts) for (const w of contentWords(t)) parts.add(fold(t.slice(w.start, w.end)), w.stem);

  it('finds claim words inside a comment word and a comment word inside a claim compound', () => {
    // Keys are concepts where the thesaurus has the word ("verseucht" is one of "verschmutzt").
    expect(parts.of('bleiverseuchtes', 'bleiverseucht')).toEqual(expect.arrayContaining(['blei', conceptOf(stemOf('verseucht'))]));
    // "Strom" is the front half of "Strompreis", "Leitung" of "Leitungswasser" (in keys).
    const key = (w: string) => conceptOf(stemOf(w));
    expect(parts.of('strom', key('strom'))).toEqual([key('strompreis')]);
    expect(parts.of('leitung', key('leitung'))).toEqual([key('leitungswasser')]);
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

describe('thesaurus', () => {
  it('lets a comment in other words and the other language meet the claim', () => {
    const index = new ClaimIndex([
      { id: 'cash', texts: ['Die Regierung will das Bargeld abschaffen.'] },
      { id: 'wald', texts: ['Der Wald am Stadtrand wird für ein Gewerbegebiet gerodet.'] },
    ]);
    expect(conceptOf(stemOf('cash'))).toBe(conceptOf(stemOf('bargeld')));
    const score = (t: string, id: string) => index.match(t, 0).find((m) => m.claimId === id)?.score ?? 0;
    // Same sentence, a thesaurus word against a word outside it.
    expect(score('the government wants to abolish cash', 'cash')).toBeGreaterThan(score('the government wants to abolish stamps', 'cash'));
    expect(score('Der Forst am Stadtrand wird für ein Gewerbegebiet gerodet', 'wald')).toBeGreaterThan(score('Der Acker am Stadtrand wird für ein Gewerbegebiet gerodet', 'wald'));
  });
});
