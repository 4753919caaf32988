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

/** One notification to an item, or null when it is not conversation or is malformed. */
export function notificationToItem(n: any, appUrl: string): ItemInput | null {
  const reason = n?.reason;
  if (!(CONVERSATION_REASONS as readonly string[]).includes(reason)) return null;
  const record = n?.record;
  if (typeof n?.uri !== 'string' || typeof record?.text !== 'string' || typeof n?.author?.did !== 'string') return null;
  const handle: string | undefined = typeof n.author.handle === 'string' ? n.author.handle : undefined;
  const lang = Array.isArray(record.langs) && typeof record.langs[0] === 'string' ? record.langs[0].toLowerCase().split('-')[0] : null;
  return {
    platform: 'bluesky',
    platformId: n.uri,
    kind: KIND[reason as keyof typeof KIND],
    threadId: typeof record.reply?.root?.uri === 'string' ? record.reply.root.uri : n.uri,
    parentId: typeof record.reply?.parent?.uri === 'string' ? record.reply.parent.uri : null,
    author: {
      platformUserId: n.author.did,
      handle: handle ? `@${handle}` : null,
      displayName: typeof n.author.displayName === 'string' ? n.author.displayName.slice(0, 1000) : null,
      profileUrl: `${appUrl.replace(/\/$/, '')}/profile/${encodeURIComponent(handle ?? n.author.did)}`,
    },
    text: record.text,
    language: lang && /^[a-z]{2,3}$/.test(lang) ? lang : null,
    links: linksOf(record),
    media: [],
    // A record's createdAt is what the author's client claimed; a skewed or broken clock falls
    // back to when the network indexed it.
    createdAt: isIso(record.createdAt) && Math.abs(Date.parse(record.createdAt) - Date.parse(n.indexedAt ?? record.createdAt)) < 86_400_000
      ? new Date(record.createdAt).toISOString()
      : isIso(n.indexedAt) ? new Date(n.indexedAt).toISOString() : null,
    permalink: postPermalink(appUrl, n.uri, handle),
    raw: { uri: n.uri, cid: n.cid, reason, reasonSubject: n.reasonSubject ?? null, author: { did: n.author.did, handle: handle ?? null }, record, indexedAt: n.indexedAt ?? null },
  };
}
