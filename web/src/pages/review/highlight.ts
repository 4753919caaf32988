// Word-list hits of a queue item, and its text cut into plain and hit segments for highlighting.
import type { QueueItem, WordEvidence } from '../../moderationApi.js';

export interface Segment {
  text: string;
  hit: WordEvidence | null;
}

function isWordEvidence(value: unknown): value is WordEvidence {
  const e = value as Partial<WordEvidence> | null;
  return !!e && typeof e.category === 'string' && typeof e.matched === 'string'
    && typeof e.start === 'number' && typeof e.end === 'number';
}

export function wordHits(item: QueueItem): WordEvidence[] {
  const signals = Array.isArray(item.signals) ? item.signals : [];
  return signals.filter((s) => s.kind === 'words' && isWordEvidence(s.evidence)).map((s) => s.evidence as WordEvidence);
}

/**
 * The text in order, hits marked. A hit whose offsets do not point at its matched word (other
 * offset units, a changed text) or that overlaps an earlier one is left unmarked rather than
 * marking the wrong place.
 */
export function segments(text: string, hits: WordEvidence[]): Segment[] {
  const out: Segment[] = [];
  let at = 0;
  for (const hit of [...hits].sort((a, b) => a.start - b.start)) {
    if (hit.start < at || hit.end <= hit.start || hit.end > text.length) continue;
    if (text.slice(hit.start, hit.end) !== hit.matched) continue;
    if (hit.start > at) out.push({ text: text.slice(at, hit.start), hit: null });
    out.push({ text: hit.matched, hit });
    at = hit.end;
  }
  if (at < text.length) out.push({ text: text.slice(at), hit: null });
  return out;
}

/** One chip per category and word, however often it occurs. */
export function distinctHits(hits: WordEvidence[]): WordEvidence[] {
  const seen = new Set<string>();
  return hits.filter((hit) => {
    const key = `${hit.category}\u0000${hit.matched.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
