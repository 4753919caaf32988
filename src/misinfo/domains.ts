// Sources: the registrable domain of a link (Public Suffix List through tldts, private suffixes
// included, so "x.blogspot.com" is its own site and "bbc.co.uk" is not "co.uk"), and the
// workspace's domain lists as CSV.
import { getDomain } from 'tldts';
import { parse as parseCsv } from 'csv-parse/sync';

export const DOMAIN_CATEGORIES = ['unreliable', 'satire', 'state_affiliated', 'spam', 'trusted'] as const;
export type DomainCategory = (typeof DOMAIN_CATEGORIES)[number];
export interface DomainEntry { domain: string; category: DomainCategory; note: string }

/** The registrable domain of a URL or host name, or null (IP addresses, bare suffixes, junk). */
export function registrableDomain(urlOrHost: string): string | null {
  let host = urlOrHost.trim();
  try { if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) host = new URL(host).hostname; } catch { return null; }
  return getDomain(host.toLowerCase().replace(/\.$/, ''), { allowPrivateDomains: true }) ?? null;
}

export function parseDomainsCsv(csv: string): { entries: DomainEntry[]; problems: { entry: string; field: string; message: string }[] } {
  let rows: Record<string, string>[];
  try {
    rows = parseCsv(csv, { columns: (h: string[]) => h.map((x) => x.trim().toLowerCase()), skip_empty_lines: true, bom: true });
  } catch (e: any) {
    return { entries: [], problems: [{ entry: e.lines ? `line ${e.lines}` : 'file', field: '(csv)', message: e.message }] };
  }
  const entries: DomainEntry[] = [];
  const problems: { entry: string; field: string; message: string }[] = [];
  rows.forEach((r, i) => {
    const entry = `line ${i + 2}`;
    const raw = (r.domain ?? '').trim();
    const domain = raw ? registrableDomain(raw) : null;
    if (!domain) return void problems.push({ entry, field: 'domain', message: raw ? `"${raw.slice(0, 100)}" is not a domain name` : 'missing' });
    const category = (r.category ?? '').trim().toLowerCase().replace(/[- ]/g, '_');
    if (!(DOMAIN_CATEGORIES as readonly string[]).includes(category)) return void problems.push({ entry, field: 'category', message: `"${category.slice(0, 50)}" is not one of ${DOMAIN_CATEGORIES.join(', ')}` });
    const note = (r.note ?? '').trim();
    if (note.length > 1000) return void problems.push({ entry, field: 'note', message: 'longer than 1000 characters' });
    entries.push({ domain, category: category as DomainCategory, note });
  });
  return { entries, problems };
}

const csvField = (s: string) => (/[",\n\r]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? "'" : '') + s.replace(/"/g, '""')}"` : s);

/** CSV that spreadsheets open without running formulas from a note. */
export function domainsCsv(entries: DomainEntry[]): string {
  return ['domain,category,note', ...entries.map((e) => [e.domain, e.category, e.note].map(csvField).join(','))].join('\r\n') + '\r\n';
}
export { csvField };
