// Bluesky / AT Protocol: reads mentions, replies and quotes from the account's notifications
// (and, where the workspace names one, from a firehose as they are written: firehose.ts) and acts
// through the account's PDS (reply, hide a reply in an own thread, delete an own post, mute,
// block, report to a moderation service).
import { z } from 'zod';
import { createHash } from 'node:crypto';
import { AtpAgent } from '@atproto/api';
import type { ItemInput } from '../../core/item.js';
import { NeedsReauthorisation, PlatformBusy, retryAfterFrom, type ActionOutcome, type ActionRequest, type ConnectorDefinition, type PlatformClient, type PollPage } from '../contract.js';
import { CONVERSATION_REASONS, notificationToItem, postPermalink, postToItem, type PostSeen } from './map.js';
import { followFirehose, type FirehoseFollow } from './firehose.js';

const settings = z.object({
  service: z.url({ protocol: /^https?$/ }).max(2048).default('https://bsky.social'),
  /** Handle or DID of the account Allmende acts as. */
  identifier: z.string().trim().min(3).max(253),
  /** Where permalinks point. */
  appUrl: z.url({ protocol: /^https?$/ }).max(2048).default('https://bsky.app'),
  /** The moderation service (labeler) reports go to; Bluesky's own by default. */
  moderationService: z.string().regex(/^did:[a-z]+:[A-Za-z0-9._:%-]+$/, 'not a DID').default('did:plc:ar7c4by46qjdydhdevvrndac'),
  /**
   * A relay's or PDS's firehose (wss://…) to follow: replies, mentions and quotes arrive as they
   * are written instead of with the next notification poll. Without it only notifications are read.
   */
  firehose: z.url({ protocol: /^wss?$/ }).max(2048).optional(),
  /** How many notifications the first poll reads back. */
  backfill: z.number().int().min(0).max(10_000).default(500),
});
const credentials = z.object({ appPassword: z.string().min(1).max(500) });
type Settings = z.infer<typeof settings>;
type Credentials = z.infer<typeof credentials>;

const PAGE = 100;
/**
 * Notifications are ordered by the post's own time (the earlier of createdAt and indexing time),
 * so one written a little earlier but indexed a little later sorts behind what was read last
 * time. Each poll reads this far back again (indexing takes seconds; two minutes leave room);
 * ingest recognises what it has.
 */
const OVERLAP_MS = 2 * 60_000;
/**
 * The AppView's notification cursor is the time of the page's last entry, and the next page
 * starts strictly before it: entries sharing that millisecond across a page boundary would be
 * skipped. Asking from one millisecond later reads them again; they are dropped by their URI.
 */
function nextPage(cursor: string): string {
  const t = Date.parse(cursor);
  return /^\d{4}-\d\d-\d\dT[^:]+:[^:]+:[^:]+Z$/.test(cursor) && !Number.isNaN(t) ? new Date(t + 1).toISOString() : cursor;
}

/** The stop of a poll: notifications indexed before this were read already. */
interface Cursor { seenUntil: string }

// A login per poll would hit the PDS's createSession limit (30 per 5 minutes); one session per
// connection and password lives for the process, and the agent refreshes it itself.
const agents = new Map<string, { agent: AtpAgent; login: Promise<unknown> }>();
/** The firehose each watched connection follows in this process; its poll takes what it saw. */
const follows = new Map<string, { follow: FirehoseFollow; errors: number }>();
const PROFILES_AT_ONCE = 25;

const AUTH_ERRORS = new Set(['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AuthMissing', 'AccountTakedown', 'AccountDeactivated']);

/** Sorts a platform error into: needs re-authorisation, try later, or give up. */
function classify(e: any): Error {
  const status: number | undefined = typeof e?.status === 'number' ? e.status : undefined;
  if (status === 401 || AUTH_ERRORS.has(e?.error)) return new NeedsReauthorisation(`Bluesky refused the credentials: ${e.message || e.error}`);
  if (status === 429 || (status !== undefined && status >= 500)) return new PlatformBusy(`Bluesky answered ${status}: ${e.message || e.error}`, retryAfterFrom(e.headers));
  // Status 1 is the xrpc client's "no answer" (connection refused or cut).
  if (status === undefined || status === 1 || e?.name === 'TypeError') return new PlatformBusy(`Bluesky not reachable: ${e?.message ?? e}`, null);
  return e instanceof Error ? e : new Error(String(e));
}

function open(s: Settings, c: Credentials): PlatformClient {
  const key = createHash('sha256').update(JSON.stringify([s.service, s.identifier, c.appPassword])).digest('hex');
  const followKey = `${key} ${s.firehose}`;

  async function session(): Promise<AtpAgent> {
    let entry = agents.get(key);
    if (!entry) {
      const agent = new AtpAgent({ service: s.service });
      entry = { agent, login: agent.login({ identifier: s.identifier, password: c.appPassword }) };
      agents.set(key, entry);
    }
    try {
      await entry.login;
      return entry.agent;
    } catch (e) {
      agents.delete(key);
      throw classify(e);
    }
  }
  /** Runs fn with the session; a session the PDS no longer accepts is dropped for a fresh login next time. */
  async function withAgent<T>(fn: (a: AtpAgent) => Promise<T>): Promise<T> {
    const agent = await session();
    try {
      return await fn(agent);
    } catch (e) {
      const err = classify(e);
      if (err instanceof NeedsReauthorisation) agents.delete(key);
      throw err;
    }
  }

  async function poll(raw: unknown): Promise<PollPage> {
    const cursor = raw && typeof (raw as Cursor).seenUntil === 'string' ? (raw as Cursor) : null;
    return withAgent(async (agent) => {
      const fresh: any[] = [];
      const seen = new Set<string>();
      let page: string | undefined;
      let skipped = 0;
      // Notifications come newest first; page back until the ones read last time, and the overlap.
      const stopBefore = cursor ? new Date(Date.parse(cursor.seenUntil) - OVERLAP_MS).toISOString() : null;
      for (;;) {
        const res = await agent.app.bsky.notification.listNotifications({ limit: PAGE, cursor: page, reasons: [...CONVERSATION_REASONS] });
        let reachedOld = false;
        let added = 0;
        for (const n of res.data.notifications) {
          if (stopBefore && n.indexedAt < stopBefore) { reachedOld = true; break; }
          if (seen.has(n.uri)) continue;
          seen.add(n.uri);
          fresh.push(n);
          added++;
        }
        if (reachedOld || !res.data.cursor || res.data.notifications.length === 0 || (page && added === 0)) break;
        if (!cursor && fresh.length >= s.backfill) break;
        page = nextPage(res.data.cursor);
      }
      const items: ItemInput[] = [];
      // Oldest first, so items arrive in the order people wrote them.
      for (const n of fresh.reverse()) {
        const it = notificationToItem(n, s.appUrl);
        if (it) items.push(it); else skipped++;
      }
      const streamed = await fromFirehose(agent, seen);
      items.push(...streamed.items);
      skipped += streamed.skipped;
      const newest = fresh.reduce<string | null>((m, n) => (!m || n.indexedAt > m ? n.indexedAt : m), cursor?.seenUntil ?? null);
      return { items, skipped, cursor: newest ? { seenUntil: newest } : cursor ?? { seenUntil: new Date(0).toISOString() } };
    });
  }

  /** Posts the firehose brought that the notifications did not, with their authors' handles. */
  async function fromFirehose(agent: AtpAgent, known: Set<string>): Promise<{ items: ItemInput[]; skipped: number }> {
    const entry = s.firehose ? follows.get(followKey) : undefined;
    if (!entry) return { items: [], skipped: 0 };
    const skipped = entry.errors;
    entry.errors = 0;
    const posts = entry.follow.take().filter((p) => !known.has(p.uri));
    const dids = [...new Set(posts.map((p) => p.author.did))];
    const profiles = new Map<string, { handle: string; displayName?: string }>();
    for (let i = 0; i < dids.length; i += PROFILES_AT_ONCE) {
      // A profile the AppView has not indexed yet leaves the DID as the handle; the post still counts.
      const res = await agent.app.bsky.actor.getProfiles({ actors: dids.slice(i, i + PROFILES_AT_ONCE) }).catch(() => null);
      for (const p of res?.data.profiles ?? []) profiles.set(p.did, p);
    }
    const items: ItemInput[] = [];
    let bad = 0;
    for (const p of posts) {
      const it = postToItem({ ...p, author: { did: p.author.did, ...profiles.get(p.author.did) } } satisfies PostSeen, s.appUrl);
      if (it) items.push(it); else bad++;
    }
    return { items, skipped: skipped + bad };
  }

  /** Follows the firehose while the connection is active; news makes the poller read at once. */
  async function watch(onNew: () => void): Promise<() => Promise<void>> {
    const did = await withAgent(async (a) => a.session!.did);
    const entry = { follow: followFirehose(s.firehose!, did, onNew, () => { entry.errors++; }), errors: 0 };
    follows.set(followKey, entry);
    return async () => {
      if (follows.get(followKey) === entry) follows.delete(followKey);
      await entry.follow.stop();
    };
  }

  async function perform(a: ActionRequest): Promise<ActionOutcome> {
    const item = a.item;
    const raw = item?.raw;
    const needItem = (): ActionOutcome | null => (!item || typeof raw?.uri !== 'string' ? { state: 'unsupported', note: 'the item did not come from this Bluesky connection, so Allmende does not know the post on the network' } : null);
    return withAgent(async (agent): Promise<ActionOutcome> => {
      const me = agent.session!.did;
      switch (a.type) {
        case 'reply': {
          const missing = needItem(); if (missing) return missing;
          const text = typeof a.payload?.text === 'string' ? a.payload.text : '';
          if (!text.trim()) return { state: 'failed', error: 'payload.text: a reply needs text', retry: false };
          const parent = { uri: raw.uri, cid: raw.cid };
          const root = raw.record?.reply?.root?.uri ? { uri: raw.record.reply.root.uri, cid: raw.record.reply.root.cid } : parent;
          const posted = await agent.post({ text, reply: { root, parent }, createdAt: new Date().toISOString() });
          return { state: 'done', result: { platformId: posted.uri, permalink: postPermalink(s.appUrl, posted.uri, agent.session!.handle) } };
        }
        case 'hide':
        case 'unhide': {
          const missing = needItem(); if (missing) return missing;
          const rootUri: string | undefined = raw.record?.reply?.root?.uri;
          const m = rootUri ? /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(rootUri) : null;
          if (!m || m[1] !== me) return { state: 'unsupported', note: 'Bluesky hides only replies in threads the account started' };
          const gate = await agent.com.atproto.repo.getRecord({ repo: me, collection: 'app.bsky.feed.threadgate', rkey: m[2] })
            .then((r) => r.data.value as any)
            .catch((e) => { if (e?.error === 'RecordNotFound' || e?.status === 400) return null; throw e; });
          const hidden = new Set<string>(Array.isArray(gate?.hiddenReplies) ? gate.hiddenReplies : []);
          if (a.type === 'hide') hidden.add(raw.uri); else hidden.delete(raw.uri);
          // Without `allow` everyone may still reply: hiding must not close the thread.
          const record = { ...(gate ?? {}), $type: 'app.bsky.feed.threadgate', post: rootUri, createdAt: gate?.createdAt ?? new Date().toISOString(), hiddenReplies: [...hidden] };
          await agent.com.atproto.repo.putRecord({ repo: me, collection: 'app.bsky.feed.threadgate', rkey: m[2], record });
          return { state: 'done', result: { threadgate: `at://${me}/app.bsky.feed.threadgate/${m[2]}`, hiddenReplies: record.hiddenReplies.length } };
        }
        case 'delete': {
          const missing = needItem(); if (missing) return missing;
          if (raw.author?.did !== me) return { state: 'unsupported', note: 'Bluesky deletes only the account\'s own posts; hide a reply or report it instead' };
          await agent.deletePost(raw.uri);
          return { state: 'done', result: { deleted: raw.uri } };
        }
        case 'mute':
        case 'ban': {
          const did = item?.authorPlatformId ?? raw?.author?.did;
          if (!did?.startsWith('did:')) return { state: 'unsupported', note: 'the author is not a Bluesky account' };
          if (a.type === 'mute') { await agent.mute(did); return { state: 'done', result: { muted: did } }; }
          const block = await agent.app.bsky.graph.block.create({ repo: me }, { subject: did, createdAt: new Date().toISOString() });
          return { state: 'done', result: { blocked: did, platformId: block.uri } };
        }
        case 'report': {
          const missing = needItem(); if (missing) return missing;
          const reasonType = `com.atproto.moderation.defs#${/^reason[A-Z][A-Za-z]+$/.test(a.payload?.reasonType ?? '') ? a.payload.reasonType : 'reasonRude'}`;
          const res = await agent.withProxy('atproto_labeler', s.moderationService).com.atproto.moderation.createReport({
            reasonType, reason: typeof a.payload?.reason === 'string' ? a.payload.reason.slice(0, 2000) : undefined,
            subject: { $type: 'com.atproto.repo.strongRef', uri: raw.uri, cid: raw.cid },
          });
          return { state: 'done', result: { reportId: res.data.id, moderationService: s.moderationService } };
        }
        default:
          return { state: 'unsupported', note: `Bluesky cannot ${a.type}` };
      }
    });
  }

  return {
    poll,
    perform,
    ...(s.firehose ? { watch } : {}),
    async test() { return withAgent(async (a) => ({ account: `@${a.session!.handle}` })); },
  };
}

export const bluesky: ConnectorDefinition<Settings, Credentials> = {
  platform: 'bluesky',
  read: ['poll', 'stream'],
  act: ['reply', 'hide', 'unhide', 'delete', 'ban', 'mute', 'report'],
  missing: {},
  // A post is never edited, only deleted and written anew; the overlap re-reads cost a lookup, not an upsert.
  immutable: true,
  settings, credentials,
  pollEverySeconds: 30,
  open,
};
