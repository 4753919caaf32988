// Links in a text, for rules on domains and for misinformation checks. The pattern has no
// nested quantifiers, so it runs in linear time on hostile input. Links are only read, never fetched.
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const TRAILING = new Set('.,;:!?)]}»“”’');

// Sentence punctuation after a link is not part of it. A loop, not a regex: `[…]+$` would
// rescan a long run of punctuation from every position (quadratic on hostile input).
function trimTrailing(url: string): string {
  let end = url.length;
  while (end > 0 && TRAILING.has(url[end - 1])) end--;
  return url.slice(0, end);
}

export function extractLinks(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(URL_PATTERN)) {
    const url = trimTrailing(m[0]);
    try {
      out.push(new URL(url).toString());
    } catch { /* not a URL after all */ }
    if (out.length >= 100) break;
  }
  return out;
}
