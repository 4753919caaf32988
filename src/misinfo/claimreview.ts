// Claims from fact-checkers' files: schema.org ClaimReview as JSON-LD (a single object, an array,
// or a document with "@graph", as fact-checking sites embed it) and CSV. Every problem names the
// entry (its position, and its URL where it has one) and the field; good entries are kept.
import { parse as parseCsv } from 'csv-parse/sync';

export const VERDICTS = ['false', 'misleading', 'missing_context', 'satire', 'true'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface ClaimInput {
  textDe: string | null;
  textEn: string | null;
  verdict: Verdict;
  factCheckUrl: string | null;
  replyDe: string | null;
  replyEn: string | null;
}
export interface ImportProblem { entry: string; field: string; message: string }
export interface ImportResult { claims: ClaimInput[]; problems: ImportProblem[] }

const MAX_TEXT = 2000;

/** A fact-checker's rating in words ("Falsch", "Mostly false", "Pants on fire") to a verdict. */
export function verdictOf(rating: string): Verdict | null {
  const r = rating.toLowerCase().trim();
  if (!r) return null;
  if (/satir/.test(r)) return 'satire';
  if (/(fehlender|missing|ohne) (kontext|context)|kontext fehlt|unbelegt|unproven|unsubstantiated/.test(r)) return 'missing_context';
  if (/irreführend|irrefuehrend|misleading|teilweise|partly|half|mostly false|überwiegend falsch|zweifelhaft|mixture|übertrieben|exaggerat/.test(r)) return 'misleading';
  if (/falsch|false|fake|pants on fire|erfunden|frei erfunden|manipuliert|incorrect|wrong|unwahr/.test(r)) return 'false';
  if (/^(wahr|richtig|true|correct|stimmt)/.test(r)) return 'true';
  return null;
}

const isGerman = (lang: unknown) => typeof lang === 'string' && lang.toLowerCase().startsWith('de');

function httpUrl(v: unknown): string | null {
  if (typeof v !== 'string') return null;
  try { const u = new URL(v); return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null; } catch { return null; }
}

function typesOf(node: any): string[] {
  const t = node?.['@type'];
  return (Array.isArray(t) ? t : [t]).filter((x) => typeof x === 'string').map((x) => x.replace(/^https?:\/\/schema\.org\//, ''));
}

/** The ClaimReview nodes of a JSON-LD document, wherever they sit. */
function reviews(doc: unknown): any[] {
  const out: any[] = [];
  const visit = (n: any) => {
    if (Array.isArray(n)) return n.forEach(visit);
    if (!n || typeof n !== 'object') return;
    if (typesOf(n).includes('ClaimReview')) return void out.push(n);
    if (n['@graph']) visit(n['@graph']);
  };
  visit(doc);
  return out;
}

export function parseClaimReview(json: string): ImportResult {
  let doc: unknown;
  try { doc = JSON.parse(json); } catch (e: any) {
    return { claims: [], problems: [{ entry: 'file', field: '(json)', message: `not valid JSON: ${e.message}` }] };
  }
  const found = reviews(doc);
  if (!found.length) return { claims: [], problems: [{ entry: 'file', field: '@type', message: 'no ClaimReview found (expected "@type": "ClaimReview", alone, in an array or in "@graph")' }] };
  const claims: ClaimInput[] = [];
  const problems: ImportProblem[] = [];
  found.forEach((r, i) => {
    const entry = `ClaimReview ${i + 1}${typeof r.url === 'string' ? ` (${r.url.slice(0, 200)})` : ''}`;
    const bad = (field: string, message: string) => problems.push({ entry, field, message });
    const text = typeof r.claimReviewed === 'string' ? r.claimReviewed.trim() : '';
    if (!text) return bad('claimReviewed', 'missing: the claim as stated');
    if (text.length > MAX_TEXT) return bad('claimReviewed', `longer than ${MAX_TEXT} characters`);
    const rating = r.reviewRating;
    const name = typeof rating?.alternateName === 'string' ? rating.alternateName : typeof rating?.name === 'string' ? rating.name : '';
    if (!rating || typeof rating !== 'object') return bad('reviewRating', 'missing: the fact-checker\'s rating');
    let verdict = verdictOf(name);
    // Without words, a numeric rating: at or below a third of the scale counts as false.
    if (!verdict && rating.ratingValue !== undefined && rating.bestRating !== undefined) {
      const v = Number(rating.ratingValue), best = Number(rating.bestRating), worst = Number(rating.worstRating ?? 1);
      if (Number.isFinite(v) && Number.isFinite(best) && best > worst) verdict = (v - worst) / (best - worst) <= 1 / 3 ? 'false' : (v - worst) / (best - worst) < 2 / 3 ? 'misleading' : 'true';
    }
    if (!verdict) return bad('reviewRating.alternateName', `rating "${name.slice(0, 100)}" is not one Allmende knows (false, misleading, missing context, satire, true)`);
    const url = r.url === undefined ? null : httpUrl(r.url);
    if (r.url !== undefined && !url) return bad('url', 'not an http(s) address');
    const de = isGerman(r.inLanguage ?? r.itemReviewed?.inLanguage);
    claims.push({ textDe: de ? text : null, textEn: de ? null : text, verdict, factCheckUrl: url, replyDe: null, replyEn: null });
  });
  return { claims, problems };
}

/** CSV with a header: text_de, text_en, verdict, fact_check_url, reply_de, reply_en (text_de or text_en required). */
export const CSV_COLUMNS = ['text_de', 'text_en', 'verdict', 'fact_check_url', 'reply_de', 'reply_en'] as const;

export function parseClaimsCsv(csv: string): ImportResult {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(csv, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, bom: true, relax_column_count: false });
  } catch (e: any) {
    return { claims: [], problems: [{ entry: e.lines ? `line ${e.lines}` : 'file', field: '(csv)', message: e.message }] };
  }
  const claims: ClaimInput[] = [];
  const problems: ImportProblem[] = [];
  if (rows.length && !('verdict' in rows[0])) return { claims, problems: [{ entry: 'header', field: 'verdict', message: `missing column; expected ${CSV_COLUMNS.join(', ')}` }] };
  rows.forEach((r, i) => {
    const entry = `line ${i + 2}`;
    const bad = (field: string, message: string) => problems.push({ entry, field, message });
    const get = (k: string) => (r[k] ?? '').trim() || null;
    const textDe = get('text_de'), textEn = get('text_en');
    if (!textDe && !textEn) return bad('text_de', 'text_de or text_en is needed');
    if ((textDe?.length ?? 0) > MAX_TEXT || (textEn?.length ?? 0) > MAX_TEXT) return bad(textDe && textDe.length > MAX_TEXT ? 'text_de' : 'text_en', `longer than ${MAX_TEXT} characters`);
    const v = get('verdict') ?? '';
    const verdict = (VERDICTS as readonly string[]).includes(v) ? (v as Verdict) : verdictOf(v);
    if (!verdict) return bad('verdict', `"${v.slice(0, 100)}" is not one of ${VERDICTS.join(', ')}`);
    const rawUrl = get('fact_check_url');
    const url = rawUrl ? httpUrl(rawUrl) : null;
    if (rawUrl && !url) return bad('fact_check_url', 'not an http(s) address');
    claims.push({ textDe, textEn, verdict, factCheckUrl: url, replyDe: get('reply_de'), replyEn: get('reply_en') });
  });
  return { claims, problems };
}
