// An incoming ActivityPub Note (a mention or a reply to the brand's actor) as a normalised item.
// The thread is the Note's `context` when the sender gives one (Mastodon, Misskey and fedify set
// it to the conversation), otherwise the post it replies to, otherwise the Note itself.
import type { Note, Actor } from '@fedify/fedify';
import type { ItemInput } from '../../core/item.js';
import { htmlToText } from '../feed/parse.js';
import { extractLinks } from '../../core/text/links.js';

/** What the outbox needs later to answer, block or report: kept as the item's raw payload. */
export interface NoteRaw {
  note: unknown;
  actor: { id: string; inbox: string | null; sharedInbox: string | null; handle: string | null };
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : v != null ? String(v) : null);

export function handleOf(actor: Actor): string | null {
  const name = str(actor.preferredUsername);
  return name && actor.id ? `@${name}@${actor.id.host}` : null;
}

export async function noteToItem(note: Note, actor: Actor, json: unknown): Promise<ItemInput | null> {
  if (!note.id || !actor.id) return null;
  const html = str(note.content) ?? '';
  const text = htmlToText(html);
  const parent = note.replyTargetId?.href ?? null;
  const context = note.contextIds[0]?.href ?? null;
  const url = note.url;
  const permalink = url instanceof URL ? url.href : url?.href?.href ?? note.id.href;
  const raw: NoteRaw = {
    note: json,
    actor: { id: actor.id.href, inbox: actor.inboxId?.href ?? null, sharedInbox: actor.endpoints?.sharedInbox?.href ?? null, handle: handleOf(actor) },
  };
  return {
    platform: 'fediverse',
    platformId: note.id.href,
    kind: parent ? 'reply' : 'mention',
    threadId: context ?? parent ?? note.id.href,
    parentId: parent,
    author: {
      platformUserId: actor.id.href,
      handle: handleOf(actor),
      displayName: str(actor.name) ?? null,
      profileUrl: actor.url instanceof URL ? actor.url.href : actor.id.href,
    },
    text,
    links: extractLinks(text),
    media: [],
    createdAt: note.published ? new Date(note.published.epochMilliseconds).toISOString() : null,
    permalink: /^https?:/.test(permalink) ? permalink : null,
    raw,
  } as ItemInput;
}
