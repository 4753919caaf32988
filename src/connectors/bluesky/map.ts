// Bluesky notifications to normalised items. Only what someone said to or about the account
// becomes an item (mentions, replies, quotes); likes, reposts and follows are not conversation.
import type { ItemInput } from '../../core/item.js';

export const CONVERSATION_REASONS = ['mention', 'reply', 'quote'] as const;
const KIND = { mention: 'mention', reply: 'reply', quote: 'post' } as const;

/** https://bsky.app/profile/<handle>/post/<rkey> for at://<did>/app.bsky.feed.post/<rkey>. */
export function postPermalink(appUrl: string, uri: string, handle?: string | null): string | null {
  const m = /^at:\/\/([^/]+)\/app\.bsky\.feed\.post\/([^/]+)$/.exec(uri);
  if (!m) return null;
  return `${appUrl.replace(/\/$/, '')}/profile/${encodeURIComponent(handle || m[1])}/post/${encodeURIComponent(m[2])}`;
}

const isIso = (s: unknown): s is string => typeof s === 'string' && !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s);
const isHttp = (s: unknown): s is string => typeof s === 'string' && /^https?:\/\//i.test(s) && s.length <= 2048;

/** Links from rich-text facets and an external embed: the text may show them shortened. */
function linksOf(record: any): string[] {
  const out = new Set<string>();
  for (const f of Array.isArray(record?.facets) ? record.facets : []) {
    for (const feat of Array.isArray(f?.features) ? f.features : []) {
      if (feat?.$type === 'app.bsky.richtext.facet#link' && isHttp(feat.uri)) out.add(feat.uri);
    }
  }
  const ext = record?.embed?.external?.uri ?? record?.embed?.media?.external?.uri;
  if (isHttp(ext)) out.add(ext);
  return [...out];
}

/** What a post is to the account: the notification's reason, from the post itself. */
export type Reason = (typeof CONVERSATION_REASONS)[number];

/** A post someone wrote, as a notification or the firehose carries it. */
export interface PostSeen {
  uri: string; cid: string | null; reason: Reason;
  author: { did: string; handle?: string | null; displayName?: string | null };
  record: any;
  /** When the network indexed it; null from the firehose (its time is the commit's). */
  indexedAt: string | null;
}

/** One notification to an item, or null when it is not conversation or is malformed. */
export function notificationToItem(n: any, appUrl: string): ItemInput | null {
  if (!(CONVERSATION_REASONS as readonly string[]).includes(n?.reason)) return null;
  if (typeof n?.uri !== 'string' || typeof n?.author?.did !== 'string') return null;
  return postToItem({ uri: n.uri, cid: n.cid ?? null, reason: n.reason, author: n.author, record: n.record, indexedAt: n.indexedAt ?? null }, appUrl);
}

/**
 * Why a post concerns the account, or null: a reply in one of its threads, a mention of it (a
 * facet naming its DID), or a quote of one of its posts. Notifications tell this themselves; a
 * post read from the firehose is sorted here the same way.
 */
export function reasonFor(record: any, accountDid: string): Reason | null {
  const ownPost = (uri: unknown) => typeof uri === 'string' && uri.startsWith(`at://${accountDid}/`);
  if (ownPost(record?.reply?.parent?.uri) || ownPost(record?.reply?.root?.uri)) return 'reply';
  for (const f of Array.isArray(record?.facets) ? record.facets : []) {
    for (const feat of Array.isArray(f?.features) ? f.features : []) {
      if (feat?.$type === 'app.bsky.richtext.facet#mention' && feat.did === accountDid) return 'mention';
    }
  }
  if (ownPost(record?.embed?.record?.uri) || ownPost(record?.embed?.record?.record?.uri)) return 'quote';
  return null;
}

export function postToItem(p: PostSeen, appUrl: string): ItemInput | null {
  const record = p.record;
  if (typeof record?.text !== 'string') return null;
  const handle = typeof p.author.handle === 'string' ? p.author.handle : undefined;
  const lang = Array.isArray(record.langs) && typeof record.langs[0] === 'string' ? record.langs[0].toLowerCase().split('-')[0] : null;
  return {
    platform: 'bluesky',
    platformId: p.uri,
    kind: KIND[p.reason],
    threadId: typeof record.reply?.root?.uri === 'string' ? record.reply.root.uri : p.uri,
    parentId: typeof record.reply?.parent?.uri === 'string' ? record.reply.parent.uri : null,
    author: {
      platformUserId: p.author.did,
      handle: handle ? `@${handle}` : null,
      displayName: typeof p.author.displayName === 'string' ? p.author.displayName.slice(0, 1000) : null,
      profileUrl: `${appUrl.replace(/\/$/, '')}/profile/${encodeURIComponent(handle ?? p.author.did)}`,
    },
    text: record.text,
    language: lang && /^[a-z]{2,3}$/.test(lang) ? lang : null,
    links: linksOf(record),
    media: [],
    // A record's createdAt is what the author's client claimed; a skewed or broken clock falls
    // back to when the network indexed it (or, from the firehose, to now).
    createdAt: isIso(record.createdAt) && Math.abs(Date.parse(record.createdAt) - Date.parse(p.indexedAt ?? new Date().toISOString())) < 86_400_000
      ? new Date(record.createdAt).toISOString()
      : isIso(p.indexedAt) ? new Date(p.indexedAt).toISOString() : new Date().toISOString(),
    permalink: postPermalink(appUrl, p.uri, handle),
    raw: { uri: p.uri, cid: p.cid, reason: p.reason, author: { did: p.author.did, handle: handle ?? null }, record, indexedAt: p.indexedAt },
  };
}
