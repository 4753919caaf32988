// Mastodon (REST API client): a brand's account on an existing instance. Mentions (replies to the
// account mention it too) are read from the notifications, newer than the last one read (min_id);
// replies, deleting own posts, block, mute and report go through the documented REST endpoints
// with the account's access token. Rate limits (429, X-RateLimit-Reset) and 5xx are waited out.
import { z } from 'zod';
import { safeFetch, FetchRefused } from '../../core/net/safe-fetch.js';
import { NeedsReauthorisation, PlatformBusy, retryAfterFrom, type ActionOutcome, type ActionRequest, type ConnectorDefinition, type PlatformClient, type PollPage } from '../contract.js';
import { notificationToItem, type MastodonStatus } from './map.js';

const settings = z.object({
  /** The instance the account is on, e.g. https://social.example. */
  instance: z.url({ protocol: /^https?$/ }).max(2048).transform((u) => new URL(u).origin),
  /** Loopback and private addresses allowed (an instance in the own network); off unless an admin sets it. */
  allowPrivateNetwork: z.boolean().default(false),
});
const credentials = z.object({ accessToken: z.string().min(1).max(2000) });
type Settings = z.infer<typeof settings>;
type Credentials = z.infer<typeof credentials>;

/** Mastodon's largest notifications page. */
const PAGE = 40;
const TIMEOUT_MS = 20_000;

interface Cursor { lastId: string }
/** Mastodon ids are numbers too large for a double: compare them as digit strings. */
const newer = (a: string, b: string) => (a.length !== b.length ? a.length > b.length : a > b);

function open(s: Settings, c: Credentials): PlatformClient {
  async function call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res;
    try {
      res = await safeFetch(new URL(path, s.instance).toString(), {
        method, timeoutMs: TIMEOUT_MS, allowPrivate: s.allowPrivateNetwork,
        headers: {
          authorization: `Bearer ${c.accessToken}`, accept: 'application/json', ...headers,
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
    } catch (e: any) {
      if (e instanceof FetchRefused && (e.code === 'private_address' || e.code === 'bad_url')) throw new Error(`instance address refused: ${e.message}`);
      throw new PlatformBusy(`${s.instance} not reachable: ${e.message}`, null);
    }
    const text = await res.text().catch((e) => { throw new PlatformBusy(`the answer broke off: ${e.message}`, null); });
    if (res.status === 401 || res.status === 403 && /token/i.test(text)) throw new NeedsReauthorisation(`Mastodon refused the access token (${res.status})`);
    if (res.status === 429 || res.status >= 500) {
      // Mastodon sends X-RateLimit-Reset as a time, not in seconds.
      const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
      const wait = retryAfterFrom({ 'retry-after': res.headers.get('retry-after') ?? undefined }) ?? (Number.isNaN(reset) ? null : Math.max(1, Math.ceil((reset - Date.now()) / 1000)));
      throw new PlatformBusy(`Mastodon answered ${res.status}`, wait);
    }
    let json: any;
    try { json = text ? JSON.parse(text) : null; } catch { throw new Error(`Mastodon answered ${res.status} with something that is not JSON`); }
    if (!res.ok) {
      const err = new Error(`Mastodon answered ${res.status}: ${typeof json?.error === 'string' ? json.error : text.slice(0, 200)}`);
      (err as any).status = res.status;
      throw err;
    }
    return json as T;
  }

  async function poll(raw: unknown): Promise<PollPage> {
    const cursor = raw && typeof (raw as Cursor).lastId === 'string' ? (raw as Cursor) : null;
    const query = new URLSearchParams({ limit: String(PAGE) });
    query.append('types[]', 'mention');
    if (cursor) query.set('min_id', cursor.lastId);
    const page = await call<unknown>('GET', `/api/v1/notifications?${query}`);
    if (!Array.isArray(page)) throw new Error('Mastodon\'s notifications are not a list');
    let lastId = cursor?.lastId ?? null;
    let skipped = 0;
    const notes = page.filter((n: any) => {
      const ok = n && typeof n.id === 'string' && /^\d+$/.test(n.id);
      if (!ok) skipped++;
      return ok;
    });
    for (const n of notes) if (!lastId || newer(n.id, lastId)) lastId = n.id;
    // The thread's root: Mastodon gives only the parent; the status's context names the ancestors.
    const roots = new Map<string, string>();
    const items = [];
    for (const n of notes.sort((a: any, b: any) => (newer(a.id, b.id) ? 1 : -1))) {
      const status: MastodonStatus | undefined = n.status;
      let root: string | null = null;
      if (n.type === 'mention' && status?.in_reply_to_id) {
        root = roots.get(status.in_reply_to_id) ?? null;
        if (!root) {
          const ctx = await call<{ ancestors?: { id: string }[] }>('GET', `/api/v1/statuses/${encodeURIComponent(status.id)}/context`).catch((e) => { if (e.status === 404) return { ancestors: [] }; throw e; });
          root = ctx.ancestors?.[0]?.id ?? status.in_reply_to_id;
          roots.set(status.in_reply_to_id, root);
        }
      }
      const item = notificationToItem(n, root);
      if (item) items.push(item); else skipped++;
    }
    return { items, skipped, cursor: lastId ? { lastId } : null, more: page.length >= PAGE };
  }

  async function perform(a: ActionRequest): Promise<ActionOutcome> {
    const status: MastodonStatus | undefined = a.item?.raw?.status;
    const account = status?.account?.id ?? a.item?.authorPlatformId ?? null;
    if (!a.item || !status?.id) return { state: 'unsupported', note: 'the item did not come from this Mastodon connection, so Allmende does not know the post on the instance' };
    switch (a.type) {
      case 'reply': {
        const text = typeof a.payload?.text === 'string' ? a.payload.text : '';
        if (!text.trim()) return { state: 'failed', error: 'payload.text: a reply needs text', retry: false };
        // Mastodon addresses a reply by mentioning the author; without it they are not told.
        const mention = status.account?.acct ? `@${status.account.acct} ` : '';
        const body = { status: text.startsWith(mention.trim()) ? text : mention + text, in_reply_to_id: status.id, visibility: status.visibility === 'direct' ? 'direct' : 'public' };
        // The action's id as Idempotency-Key: a retried request does not post twice.
        const posted = await call<MastodonStatus>('POST', '/api/v1/statuses', body, { 'idempotency-key': `allmende-action-${a.id}` });
        return { state: 'done', result: { platformId: posted.id, permalink: posted.url ?? posted.uri } };
      }
      case 'delete': {
        const me = await call<{ id: string }>('GET', '/api/v1/accounts/verify_credentials');
        if (status.account?.id !== me.id) return { state: 'unsupported', note: 'Mastodon deletes only the account\'s own posts; block or report the author instead' };
        await call('DELETE', `/api/v1/statuses/${encodeURIComponent(status.id)}`);
        return { state: 'done', result: { deleted: status.id } };
      }
      case 'ban':
      case 'mute': {
        if (!account) return { state: 'unsupported', note: 'the author is not a Mastodon account' };
        const rel = await call<{ blocking?: boolean; muting?: boolean }>('POST', `/api/v1/accounts/${encodeURIComponent(account)}/${a.type === 'ban' ? 'block' : 'mute'}`, {});
        return { state: 'done', result: { account, blocking: rel.blocking ?? null, muting: rel.muting ?? null } };
      }
      case 'report': {
        if (!account) return { state: 'unsupported', note: 'the author is not a Mastodon account' };
        const comment = typeof a.payload?.reason === 'string' ? a.payload.reason.slice(0, 1000) : '';
        const category = ['spam', 'legal', 'violation', 'other'].includes(a.payload?.category) ? a.payload.category : 'other';
        // forward: a remote author's own server gets the report too (anonymised by Mastodon).
        const report = await call<{ id: string }>('POST', '/api/v1/reports', { account_id: account, status_ids: [status.id], comment, forward: true, category });
        return { state: 'done', result: { report: report.id } };
      }
      default:
        return { state: 'unsupported', note: `Mastodon has no ${a.type}` };
    }
  }

  return {
    poll,
    perform,
    async test() {
      const me = await call<{ acct?: string; username?: string }>('GET', '/api/v1/accounts/verify_credentials');
      return { account: `@${me.acct ?? me.username}@${new URL(s.instance).host}` };
    },
  };
}

const noHide = { de: 'Mastodon kann fremde Antworten nicht verbergen; blockieren, stummschalten oder melden geht.', en: 'Mastodon cannot hide other people\'s replies; block, mute or report instead.' };
export const mastodon: ConnectorDefinition<Settings, Credentials> = {
  platform: 'mastodon',
  read: ['poll'],
  act: ['reply', 'delete', 'ban', 'mute', 'report'],
  missing: { hide: noHide, unhide: noHide },
  settings, credentials,
  pollEverySeconds: 60,
  open,
};
