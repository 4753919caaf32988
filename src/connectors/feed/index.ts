// Feeds (RSS, Atom, JSON Feed), e.g. a blog's comment feed: polled with conditional GET (ETag,
// Last-Modified), so an unchanged feed costs one 304. Entries are deduplicated by ingest on
// their id; 429 and 5xx are waited out as the server asks (Retry-After). Fetched with safeFetch:
// a feed address never reaches the machine's own network unless an admin allowed it for this
// connection (an intranet blog) — a user-typed URL is not a way into internal services.
import { z } from 'zod';
import { safeFetch, FetchRefused, type SafeResponse } from '../../core/net/safe-fetch.js';
import { NeedsReauthorisation, PlatformBusy, retryAfterFrom, type ConnectorDefinition, type PlatformClient, type PollPage } from '../contract.js';
import { parseFeed } from './parse.js';

const settings = z.object({
  url: z.url({ protocol: /^https?$/ }).max(2048),
  /** Entries of a comment feed are comments on posts; a blog's own feed has posts. */
  kind: z.enum(['comment', 'post']).default('comment'),
  /** Loopback and private addresses allowed (an intranet feed); off unless an admin sets it. */
  allowPrivateNetwork: z.boolean().default(false),
});
// Optional: a feed behind HTTP authentication.
const credentials = z.object({ authorization: z.string().max(4000).optional() });
type Settings = z.infer<typeof settings>;
type Credentials = z.infer<typeof credentials>;

const TIMEOUT_MS = 20_000;
const MAX_BYTES = 20 * 1024 * 1024;
interface Cursor { etag?: string | null; lastModified?: string | null }

function open(s: Settings, c: Credentials): PlatformClient {
  async function get(cursor: Cursor | null, conditional: boolean) {
    let res: SafeResponse;
    try {
      res = await safeFetch(s.url, {
        timeoutMs: TIMEOUT_MS, maxBytes: MAX_BYTES, allowPrivate: s.allowPrivateNetwork,
        headers: {
          accept: 'application/feed+json, application/atom+xml, application/rss+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5',
          'user-agent': 'Allmende feed reader',
          ...(c.authorization ? { authorization: c.authorization } : {}),
          ...(conditional && cursor?.etag ? { 'if-none-match': cursor.etag } : {}),
          ...(conditional && cursor?.lastModified ? { 'if-modified-since': cursor.lastModified } : {}),
        },
      });
    } catch (e: any) {
      // A refused address will not get better by waiting; an unreachable server may.
      if (e instanceof FetchRefused && (e.code === 'private_address' || e.code === 'bad_url')) throw new Error(`feed address refused: ${e.message}`);
      throw new PlatformBusy(`feed not reachable: ${e.message}`, null);
    }
    if (res.status === 401 || res.status === 403) { await res.cancel(); throw new NeedsReauthorisation(`the feed answered ${res.status}: access refused`); }
    if (res.status === 429 || res.status >= 500) { await res.cancel(); throw new PlatformBusy(`the feed answered ${res.status}`, retryAfterFrom(res.headers)); }
    return res;
  }

  return {
    async poll(raw): Promise<PollPage> {
      const cursor = (raw ?? null) as Cursor | null;
      const res = await get(cursor, true);
      if (res.status === 304) return { items: [], skipped: 0, cursor };
      if (!res.ok) { await res.cancel(); throw new Error(`the feed answered ${res.status}`); }
      let body: string;
      try {
        // A connection cut in the middle of the body ends here; nothing of it is used.
        body = await res.text();
      } catch (e: any) {
        if (e instanceof FetchRefused && e.code === 'too_large') throw new Error(`the feed is larger than ${MAX_BYTES / 1024 / 1024} MB`);
        throw new PlatformBusy(`the feed broke off while reading: ${e.message}`, null);
      }
      const parsed = parseFeed(body, res.headers.get('content-type') ?? '', s.kind);
      return { ...parsed, cursor: { etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified') } satisfies Cursor };
    },
    async perform(a) {
      return { state: 'unsupported', note: `a feed is read-only; ${a.type} happens on the site itself` };
    },
    async test() {
      const res = await get(null, false);
      if (!res.ok) { await res.cancel(); throw new Error(`the feed answered ${res.status}`); }
      // Parsing proves it is a feed; the account a person recognises is its address.
      parseFeed(await res.text(), res.headers.get('content-type') ?? '', s.kind);
      return { account: s.url };
    },
  };
}

const readOnly = { de: 'Ein Feed lässt sich nur lesen; handeln kannst du auf der Website selbst.', en: 'A feed can only be read; act on the website itself.' };
export const feed: ConnectorDefinition<Settings, Credentials> = {
  platform: 'feed',
  read: ['poll'],
  act: [],
  missing: { reply: readOnly, hide: readOnly, unhide: readOnly, delete: readOnly, ban: readOnly, mute: readOnly, report: readOnly },
  settings, credentials,
  pollEverySeconds: 300,
  open,
};
