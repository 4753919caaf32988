// A Mastodon mention notification (docs.joinmastodon.org/entities/Notification, with its Status
// and Account) as a normalised item. Status content is HTML; it becomes text.
import type { ItemInput } from '../../core/item.js';
import { htmlToText } from '../feed/parse.js';
import { extractLinks } from '../../core/text/links.js';

export interface MastodonAccount { id: string; username?: string; acct?: string; display_name?: string; url?: string }
export interface MastodonStatus {
  id: string; uri?: string; url?: string | null; created_at?: string; content?: string; spoiler_text?: string;
  in_reply_to_id?: string | null; visibility?: string; language?: string | null; account?: MastodonAccount;
  media_attachments?: { url?: string; type?: string; description?: string | null }[];
}

const http = (u: unknown): string | null => (typeof u === 'string' && /^https?:\/\//.test(u) ? u : null);

/** `root` is the first status of the thread when the status is a reply (from its context). */
export function notificationToItem(n: any, root: string | null): ItemInput | null {
  if (n?.type !== 'mention') return null;
  const s: MastodonStatus | undefined = n.status;
  if (!s || typeof s.id !== 'string' || !s.account?.id) return null;
  const body = htmlToText(s.content ?? '');
  // A content warning is part of what was said: it comes first, as on Mastodon.
  const text = s.spoiler_text ? `${s.spoiler_text}\n\n${body}` : body;
  const acct = s.account.acct ?? s.account.username;
  return {
    platform: 'mastodon',
    platformId: s.id,
    kind: s.in_reply_to_id ? 'reply' : 'mention',
    threadId: s.in_reply_to_id ? root ?? s.in_reply_to_id : s.id,
    parentId: s.in_reply_to_id ?? null,
    author: { platformUserId: s.account.id, handle: acct ? `@${acct}` : null, displayName: s.account.display_name || null, profileUrl: http(s.account.url) },
    text,
    language: s.language && /^[a-z]{2,3}$/.test(s.language) ? s.language : null,
    links: extractLinks(text),
    media: (s.media_attachments ?? []).filter((m) => http(m.url)).map((m) => ({ url: m.url!, type: m.type ?? null, alt: m.description ?? null })),
    createdAt: s.created_at ?? n.created_at ?? null,
    permalink: http(s.url) ?? http(s.uri),
    raw: n,
  } as ItemInput;
}
