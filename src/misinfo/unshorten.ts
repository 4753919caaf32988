// Shortened links resolved to where they lead, only for known shortener hosts and only where the
// workspace enabled it (each resolution is a request to an outside server). Through safeFetch:
// internal addresses refused, one time limit, a redirect limit with every hop checked; the body is
// never read (HEAD, falling back to GET for hosts that refuse HEAD, with a small byte cap).
import { safeFetch, FetchRefused, type SafeFetchOptions } from '../core/net/safe-fetch.js';
import { registrableDomain } from './domains.js';

export const SHORTENERS = new Set(['bit.ly', 'tinyurl.com', 't.co', 'ow.ly', 'buff.ly', 'is.gd', 'goo.gl', 'tiny.cc', 'rb.gy', 'cutt.ly', 'shorturl.at', 'rebrand.ly', 'lnkd.in', 'dlvr.it', 'fb.me', 'trib.al', 'bl.ink', 't.ly', 'shorturl.com', 'kurzelinks.de', 'yourls.org']);

export interface Resolved { from: string; to: string | null; error?: string }
export const UNSHORTEN_LIMITS = { timeoutMs: 3000, maxRedirects: 5, maxBytes: 64 * 1024, perItem: 5 };

export function isShortened(url: string, extra: ReadonlySet<string> = new Set()): boolean {
  const d = registrableDomain(url);
  return d !== null && (SHORTENERS.has(d) || extra.has(d));
}

/** Where a short link leads; errors are kept as text (the item is still analysed without it). */
export async function resolveLink(url: string, opts: Pick<SafeFetchOptions, 'allowPrivate' | 'timeoutMs'> = {}): Promise<Resolved> {
  const base = { timeoutMs: opts.timeoutMs ?? UNSHORTEN_LIMITS.timeoutMs, maxRedirects: UNSHORTEN_LIMITS.maxRedirects, maxBytes: UNSHORTEN_LIMITS.maxBytes, allowPrivate: opts.allowPrivate };
  try {
    let res = await safeFetch(url, { ...base, method: 'HEAD' });
    await res.cancel();
    if (res.status === 405 || res.status === 501) {
      res = await safeFetch(url, { ...base, method: 'GET' });
      await res.cancel();
    }
    return { from: url, to: res.url };
  } catch (e: any) {
    return { from: url, to: null, error: e instanceof FetchRefused ? `${e.code}: ${e.message}` : String(e.message ?? e) };
  }
}
