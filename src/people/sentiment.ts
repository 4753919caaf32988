// Sentiment of a post, German and English, from a hand-written word list (sentiment-words.ts):
// each opinion word counts with its weight, turned around by a negation shortly before it
// ("nicht gut", "not helpful"), strengthened by an intensifier ("sehr", "really"), and what
// follows "aber"/"but" counts more than what precedes it. The sum is squashed into -1 … 1.
// No model and no network: a list a community manager can read. Its limits: irony, sarcasm and
// words the list does not know are missed, so it shows a trend over many posts, not a verdict
// on one. German endings are stripped before the lookup (schöne, schönen, schönste → schoen).
import type { Analyser, SignalRow } from '../pipeline/stages.js';
import { NEGATIVE, POSITIVE, NEGATORS, INTENSIFIERS, CONTRAST, EMOJI, ONLY_IN } from './sentiment-words.js';

export interface Sentiment {
  /** -1 (negative) … 1 (positive); 0 when no opinion word was found. */
  score: number;
  /** The words that counted, with their contribution after negation and emphasis. */
  words: { word: string; weight: number }[];
}

const FOLD: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };
// Letters (apostrophes removed first, so "don't" is one word "dont"), one pictograph, or the end
// of a clause (where a negation and an intensifier stop reaching).
const TOKEN = /\p{L}+|\p{Extended_Pictographic}|[.!?;:,]/gu;
const CLAUSE_END = /^[.!?;:,]$/;
const ENDINGS = ['sten', 'ster', 'stes', 'stem', 'ste', 'en', 'er', 'es', 'em', 'e', 's'];
/** A negation reaches this many words ahead ("nicht wirklich gut"), an intensifier two. */
const NEGATION_REACH = 3;
const EMPHASIS = 1.5;
const BEFORE_CONTRAST = 0.5;
const AFTER_CONTRAST = 1.5;
/** Squashing: score = sum / sqrt(sum² + ALPHA); one plain word gives ±0.25, four give ±0.72. */
const ALPHA = 15;
const LEXICON = new Map<string, number>([...POSITIVE, ...NEGATIVE]);

function weightOf(word: string, language: string | null): { key: string; weight: number } | null {
  const lookup = (w: string) => {
    const weight = LEXICON.get(w);
    if (weight === undefined) return null;
    // A few words mean something else in the other language (English "bad", German "Bad").
    const only = ONLY_IN.get(w);
    if (only && language && language !== only) return null;
    return { key: w, weight };
  };
  const hit = lookup(word);
  if (hit) return hit;
  for (const end of ENDINGS) {
    if (word.length - end.length >= 3 && word.endsWith(end)) {
      const stripped = lookup(word.slice(0, -end.length));
      if (stripped) return stripped;
    }
  }
  return null;
}

/** `language`: the detected language ('de', 'en' or null); both lists apply, but for ONLY_IN. */
export function sentimentOf(text: string, language: string | null = null): Sentiment {
  const plain = text.toLowerCase().replace(/['’`´]/g, '').replace(/[äöüß]/g, (c) => FOLD[c]);
  const tokens = plain.match(TOKEN) ?? [];
  const words: Sentiment['words'] = [];
  let negatedUntil = -1;
  let emphasisedUntil = -1;
  let contrastAt = -1;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (CLAUSE_END.test(t)) { negatedUntil = emphasisedUntil = -1; continue; }
    if (NEGATORS.has(t)) { negatedUntil = i + NEGATION_REACH; continue; }
    if (INTENSIFIERS.has(t)) { emphasisedUntil = i + 2; continue; }
    if (CONTRAST.has(t)) { contrastAt = words.length; continue; }
    const emoji = EMOJI.get(t);
    if (emoji !== undefined) { words.push({ word: t, weight: emoji }); continue; }
    const found = weightOf(t, language);
    if (!found) continue;
    let weight = found.weight;
    if (i <= emphasisedUntil) { weight *= EMPHASIS; emphasisedUntil = -1; }
    // A negated opinion is weaker than its opposite: "nicht gut" is not "schlecht".
    if (i <= negatedUntil) weight = -weight * 0.5;
    words.push({ word: found.key, weight });
  }
  if (contrastAt >= 0) words.forEach((w, k) => { w.weight *= k < contrastAt ? BEFORE_CONTRAST : AFTER_CONTRAST; });
  const sum = words.reduce((s, w) => s + w.weight, 0);
  const score = sum === 0 ? 0 : sum / Math.sqrt(sum * sum + ALPHA);
  return { score: Math.round(score * 1000) / 1000, words };
}

export const SENTIMENT_SOURCE = 'sentiment:words@1';

/** The analyse stage's sentiment signal, for posts with at least one opinion word (a neutral post gets none). */
export function sentimentAnalyser(): Analyser {
  return {
    async analyse(_db, items) {
      const out: SignalRow[] = [];
      for (const it of items) {
        const s = sentimentOf(it.normalised, it.language);
        if (s.score === 0) continue;
        out.push({ item_id: it.id, workspace_id: it.workspace_id, kind: 'sentiment', label: s.score > 0 ? 'positive' : 'negative', score: s.score, evidence: { words: s.words }, source: SENTIMENT_SOURCE });
      }
      return out;
    },
  };
}
