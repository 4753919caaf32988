// Words of a text for claim matching: lower case, umlauts written out (ä = ae, so "Aerzte" and
// "Ärzte" are one word), Snowball stems for German and English, common words dropped, each word
// with its place in the text (for highlighting the matched passage).
import snowball from 'snowball-stemmers';

const STEMMERS = { de: snowball.newStemmer('german'), en: snowball.newStemmer('english') };

// Function words and very common verbs: they say nothing about which claim is meant.
const STOP = new Set(`
der die das den dem des ein eine einer eines einem einen und oder aber auch als an auf aus bei bis
durch fuer gegen in im ins mit nach ohne ueber um unter von vor zu zum zur ist sind war waren wird
werden wurde wurden hat haben hatte hatten sein seine ihr ihre es er sie wir ich du man nicht kein
keine noch schon nur so wie was wer wo dass da dann denn doch mal ja nein sehr mehr alle alles
diese dieser dieses jetzt hier dort sich mich dich uns euch ihnen ihm kann koennen muss muessen soll
sollen will wollen gibt geben immer wieder einfach eigentlich wirklich halt eben bitte leute
the a an and or but also as at on in into of to for from with without by about over under is are
was were be been being has have had do does did it its this that these those there here they we
you i he she them us our your their not no yes so just very more most all any some can could must
should will would shall may might than then when what who which where why how really only even
still now people everyone everybody actually literally
`.trim().split(/\s+/));

const FOLD: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
const WORD = /[\p{L}\p{N}]+/gu;

export interface Word { stem: string; start: number; end: number }

// Stemming is the costly part (two Snowball stemmers per word); words repeat, so stems are kept.
const STEMS = new Map<string, string>();
const STEM_CACHE_MAX = 200_000;
export function stemOf(w: string): string {
  let stem = STEMS.get(w);
  if (stem !== undefined) return stem;
  stem = w;
  for (const s of [STEMMERS.de, STEMMERS.en]) { const x = s.stem(w); if (x.length < stem.length) stem = x; }
  if (STEMS.size >= STEM_CACHE_MAX) STEMS.clear();
  STEMS.set(w, stem);
  return stem;
}

export function fold(w: string): string {
  return w.toLowerCase().replace(/[äöüß]/g, (c) => FOLD[c]).normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/**
 * Content words of `text` with offsets. Both stemmers run on every word and the shorter stem
 * wins: the same word gets the same stem whatever language the detector guessed (a short
 * comment is often guessed wrong), and claims and comments in mixed language still meet.
 */
export function contentWords(text: string): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const w = fold(m[0]);
    if (w.length < 2 || STOP.has(w) || (/^\d+$/.test(w) && w.length < 3)) continue;
    out.push({ stem: stemOf(w), start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}
