// Language detection (placeholder header; figures are filled in after the bench).

import type { eld as EldInstance } from 'eld';
import { normaliseForReading } from './normalise.js';

export interface LanguageDetection {
  /** ISO 639-1 code, or null when the text is too short or the detector is unsure. */
  language: string | null;
  /** 0..1; 0 when language is null for lack of text. */
  confidence: number;
}

export interface LanguageDetector {
  name: string;
  detect(text: string): LanguageDetection;
}

// ---------------------------------------------------------------------------------------------
// Preparation shared by every detector: what is not language is removed first.

const EMOJI = /[\p{Extended_Pictographic}\u{1F1E6}-\u{1F1FF}\u{1F3FB}-\u{1F3FF}\u20E3]/gu;
const LETTER = /\p{L}/gu;

// Common top-level domains, to recognise bare "example.com/path" links without a scheme.
const TLDS = new Set(
  ('com net org info biz io co me tv ly gl gy be de at ch li lu eu uk fr it es nl pl ru us ca au ' +
    'dk se no fi cz sk hu pt gr tr ro bg hr si rs ua jp cn in br mx ar app dev gov edu int mil ' +
    'online site news blog shop store xyz top club live link page')
    .split(' '),
);
const LEADING_PUNCT = new Set('([{"\'“„‚‘«»<'.split(''));
const TRAILING_PUNCT = new Set('.,;:!?)]}"\'“”’»«>…'.split(''));

function isHostChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
}

/** "example.com", "www.example.de/a?b", "bit.ly/xyz" — without a regex (linear on hostile input). */
function looksLikeBareLink(token: string): boolean {
  const lower = token.toLowerCase();
  const slash = lower.indexOf('/');
  const host = slash >= 0 ? lower.slice(0, slash) : lower;
  const dot = host.lastIndexOf('.');
  if (dot <= 0 || dot === host.length - 1) return false;
  for (let i = 0; i < host.length; i++) if (!isHostChar(host.charCodeAt(i))) return false;
  return TLDS.has(host.slice(dot + 1));
}

function stripEdges(token: string): string {
  let a = 0;
  let b = token.length;
  while (a < b && LEADING_PUNCT.has(token[a])) a++;
  while (b > a && TRAILING_PUNCT.has(token[b - 1])) b--;
  return token.slice(a, b);
}

/**
 * The text a language detector should see: normalised (NFKC, no invisible characters), without
 * links, @handles, "RT" markers and emojis, and with the "#" of hashtags removed (the word stays).
 */
export function prepareForLanguageDetection(text: string): string {
  const normalised = normaliseForReading(text.replace(EMOJI, ' '));
  const kept: string[] = [];
  for (const raw of normalised.split(' ')) {
    const token = stripEdges(raw);
    if (token === '' || token === 'RT') continue;
    const lower = token.toLowerCase();
    if (lower.startsWith('http://') || lower.startsWith('https://') || lower.startsWith('www.')) continue;
    if (token[0] === '@') continue;
    if (looksLikeBareLink(token)) continue;
    if (token[0] === '#') {
      const tag = raw.replace(/#/g, '');
      if (tag !== '') kept.push(tag);
      continue;
    }
    kept.push(raw);
  }
  return kept.join(' ');
}

/** Number of letters (any script) in a text. */
export function countLetters(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(LETTER)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// The detector: eld + a policy for German/English communities.

type Eld = typeof EldInstance;
export type EldDatabase = 'large' | 'medium' | 'small' | 'extrasmall';

export interface LanguageDetectorOptions {
  /** eld database; 'large' is the most accurate, 'medium' saves ~75 MB heap per process. */
  database?: EldDatabase;
}

/** Fewer letters than this (after preparation) is too short to tell: "ok", "lol", "Yes". */
export const MIN_LETTERS = 4;
/** German or English is preferred when its score is at least this share of the top score. */
const HOME_PRIOR = 0.9;
/** A text eld calls unreliable (mostly single words) is still German/English with this lead. */
const HOME_LEAD = 0.05;
const HOME = ['de', 'en'] as const;
/** Enough for any language decision; keeps hostile megabyte texts cheap. */
const MAX_CHARS = 4000;

async function loadEld(database: EldDatabase): Promise<Eld> {
  // Literal specifiers (not a template) so that types and bundlers see them. newInstance() shares
  // the module's n-gram database, so several detectors in one process cost no extra memory.
  switch (database) {
    case 'large':
      return (await import('eld/large')).eld.newInstance();
    case 'medium':
      return (await import('eld/medium')).eld.newInstance();
    case 'small':
      return (await import('eld/small')).eld.newInstance();
    case 'extrasmall':
      return (await import('eld/extrasmall')).eld.newInstance();
  }
}

export async function createLanguageDetector(options: LanguageDetectorOptions = {}): Promise<LanguageDetector> {
  const database = options.database ?? 'large';
  const eld = await loadEld(database);
  const unsure: LanguageDetection = { language: null, confidence: 0 };

  function detect(text: string): LanguageDetection {
    const prepared = prepareForLanguageDetection(text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text);
    if (countLetters(prepared) < MIN_LETTERS) return unsure;
    const result = eld.detect(prepared);
    const top = result.language;
    if (!top) return unsure;
    const scores = result.getScores();
    const topScore = scores[top] ?? 0;
    const reliable = result.isReliable();

    if (top !== 'de' && top !== 'en') {
      // Close calls between German and a neighbour (nl, da, fi, …) on short texts are noise in
      // eld's scores; in a German/English community the home language is the better bet.
      const home = (scores.de ?? 0) >= (scores.en ?? 0) ? HOME[0] : HOME[1];
      const homeScore = scores[home] ?? 0;
      if (homeScore > 0 && homeScore >= topScore * HOME_PRIOR) return { language: home, confidence: homeScore };
      return reliable ? { language: top, confidence: topScore } : unsure;
    }
    if (reliable) return { language: top, confidence: topScore };
    // Unreliable (too few n-grams, typically one word): keep German/English with a clear lead.
    let second = 0;
    for (const [code, score] of Object.entries(scores)) if (code !== top && score > second) second = score;
    return topScore - second >= HOME_LEAD ? { language: top, confidence: topScore } : unsure;
  }

  return { name: `eld-${database}`, detect };
}
