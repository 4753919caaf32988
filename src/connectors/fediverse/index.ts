// Fediverse / ActivityPub: Allmende is an actor itself (@name@allmende-host). People on Mastodon
// and other servers follow it, mention it and reply to it; those Notes arrive in its inbox
// (src/connectors/fediverse/federation.ts). Actions go out through the outbox as signed
// activities: a reply is a Create(Note), a block a Block, a report a Flag to the author's server.
import { z } from 'zod';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { Temporal } from '@js-temporal/polyfill';
import { Block, Create, Flag, Mention, Note, PUBLIC_COLLECTION, importJwk, type Recipient } from '@fedify/fedify';
import { PlatformBusy, type ActionOutcome, type ActionRequest, type ConnectorDefinition, type PlatformClient } from '../contract.js';
import { senderFederation } from './sender.js';
import type { NoteRaw } from './map.js';

const settings = z.object({
  /** The actor's name: @name@host. Letters, digits and underscores, like Mastodon's. */
  username: z.string().regex(/^[a-z0-9_]{1,30}$/i, 'letters, digits and _ only, at most 30'),
  /** Allmende's public address as the fediverse reaches it (https://allmende.example.org). */
  origin: z.url({ protocol: /^https?$/ }).max(2048).transform((u) => new URL(u).origin),
  displayName: z.string().trim().max(200).optional(),
  summary: z.string().trim().max(2000).optional(),
});
type Settings = z.infer<typeof settings>;

/** The actor's RSA key pair (what Mastodon verifies), made when the connection is created. */
const credentials = z.object({ privateKeyJwk: z.record(z.string(), z.unknown()).optional(), publicKeyJwk: z.record(z.string(), z.unknown()).optional() })
  .transform((c) => {
    if (c.privateKeyJwk && c.publicKeyJwk) return { privateKeyJwk: c.privateKeyJwk, publicKeyJwk: c.publicKeyJwk };
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
    // RS256: the signature algorithm Mastodon and fedify expect for an RSA actor key.
    const jwk = (k: KeyObject) => ({ ...k.export({ format: 'jwk' }), alg: 'RS256' }) as Record<string, unknown>;
    return { privateKeyJwk: jwk(pair.privateKey), publicKeyJwk: jwk(pair.publicKey) };
  });
export type Credentials = z.output<typeof credentials>;

export const actorPath = (username: string) => `/ap/actors/${username}`;
export const actorUrl = (s: { origin: string; username: string }) => new URL(actorPath(s.username), s.origin);
export const keyIdOf = (actor: URL) => new URL('#main-key', actor);

export async function keyPairOf(c: Credentials) {
  return {
    privateKey: await importJwk(c.privateKeyJwk as JsonWebKey, 'private'),
    publicKey: await importJwk(c.publicKeyJwk as JsonWebKey, 'public'),
  };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

/** A reply as the HTML other servers show: escaped text, paragraphs and line breaks only. */
export function replyHtml(text: string): string {
  return text.trim().split(/\n{2,}/).map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`).join('');
}

/**
 * The Note of a reply written in Allmende: sent once by the outbox and served again at its id
 * (federation.ts) to servers that fetch it. The action's id makes the Note's id, so a retried
 * delivery is the same Note, not a second one.
 */
export function replyNote(s: { origin: string; username: string }, actionId: number, item: { platformId: string; threadId: string | null; raw: any }, text: string, published: string): Note {
  const author = (item.raw as NoteRaw).actor;
  const context = item.threadId && /^https?:/.test(item.threadId) ? new URL(item.threadId) : null;
  const mention = author.handle ? `<span class="h-card"><a class="u-url mention" href="${escapeHtml(author.id)}">${escapeHtml(author.handle)}</a></span> ` : '';
  return new Note({
    id: new URL(`/ap/notes/${actionId}`, s.origin), attribution: actorUrl(s), replyTarget: new URL(item.platformId), contexts: context ? [context] : [],
    to: new URL(author.id), cc: PUBLIC_COLLECTION,
    content: mention + replyHtml(text), published: Temporal.Instant.from(published),
    tags: [new Mention({ href: new URL(author.id), name: author.handle ?? author.id })],
  });
}

function open(s: Settings, c: Credentials): PlatformClient {
  const me = actorUrl(s);

  async function send(recipient: Recipient, activity: Create | Block | Flag) {
    const { privateKey } = await keyPairOf(c);
    const ctx = senderFederation().createContext(new URL(s.origin), undefined);
    try {
      await ctx.sendActivity({ privateKey, keyId: keyIdOf(me) }, recipient, activity);
    } catch (e: any) {
      // fedify throws on a refused or failed delivery; the outbox tries again with backoff.
      throw new PlatformBusy(`delivery failed: ${e?.message ?? e}`, null);
    }
  }

  async function perform(a: ActionRequest): Promise<ActionOutcome> {
    const raw = a.item?.raw as NoteRaw | undefined;
    const author = raw?.actor;
    if (!a.item || !author?.id || !author.inbox) return { state: 'unsupported', note: 'the item did not come in through this fediverse actor, so Allmende does not know where to send it' };
    const recipient: Recipient = { id: new URL(author.id), inboxId: new URL(author.inbox), endpoints: author.sharedInbox ? { sharedInbox: new URL(author.sharedInbox) } : null };
    const subject = new URL(a.item.platformId);
    switch (a.type) {
      case 'reply': {
        const text = typeof a.payload?.text === 'string' ? a.payload.text : '';
        if (!text.trim()) return { state: 'failed', error: 'payload.text: a reply needs text', retry: false };
        const published = new Date().toISOString();
        const note = replyNote(s, a.id, a.item, text, published);
        const noteId = note.id!;
        await send(recipient, new Create({ id: new URL(`${noteId.href}#create`), actor: me, object: note, to: new URL(author.id), cc: PUBLIC_COLLECTION }));
        return { state: 'done', result: { platformId: noteId.href, permalink: noteId.href, published } };
      }
      case 'ban': {
        const id = new URL(`/ap/blocks/${a.id}`, s.origin);
        await send(recipient, new Block({ id, actor: me, object: new URL(author.id) }));
        return { state: 'done', result: { blocked: author.id, platformId: id.href } };
      }
      case 'report': {
        // A report goes to the author's server, naming the account and the post, like Mastodon's.
        const id = new URL(`/ap/flags/${a.id}`, s.origin);
        const reason = typeof a.payload?.reason === 'string' ? a.payload.reason.slice(0, 2000) : undefined;
        await send(recipient, new Flag({ id, actor: me, objects: [new URL(author.id), subject], content: reason }));
        return { state: 'done', result: { reported: subject.href, to: author.sharedInbox ?? author.inbox } };
      }
      default:
        return { state: 'unsupported', note: `the fediverse has no ${a.type} a remote server must follow` };
    }
  }

  return {
    perform,
    async test() {
      await keyPairOf(c);
      return { account: `@${s.username}@${new URL(s.origin).host}` };
    },
  };
}

const hideNote = { de: 'Im Fediverse kann niemand fremde Antworten verbergen; blockieren oder melden geht.', en: 'On the fediverse nobody can hide other people\'s replies; block or report instead.' };
const muteNote = { de: 'Stummschalten ist im Fediverse privat auf dem eigenen Server und wird nicht verschickt; blockieren geht.', en: 'Muting on the fediverse is private to one\'s own server and is not sent; block instead.' };
const deleteNote = { de: 'Fremde Beiträge löscht nur deren Server; melde sie dort.', en: 'Only the author\'s server deletes their posts; report them there.' };
export const fediverse: ConnectorDefinition<Settings, Credentials> = {
  platform: 'fediverse',
  read: ['webhook'],
  act: ['reply', 'ban', 'report'],
  missing: { hide: hideNote, unhide: hideNote, mute: muteNote, delete: deleteNote },
  settings, credentials: credentials as unknown as z.ZodType<Credentials>,
  pollEverySeconds: 3600,
  open,
};
