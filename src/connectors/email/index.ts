// E-mail: a support mailbox as a channel. Reads new mail by UID over IMAP (the cursor is the
// mailbox's UIDVALIDITY and the last UID stored), is woken by IMAP IDLE, replies over SMTP with
// the threading headers mail clients expect, keeps a copy in "Sent", flags the answered mail and
// moves it to a "handled" folder when one is set.
import { z } from 'zod';
import { randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import nodemailer from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { simpleParser } from 'mailparser';
import type { ItemInput } from '../../core/item.js';
import { NeedsReauthorisation, PlatformBusy, type ActionOutcome, type ActionRequest, type ConnectorDefinition, type PlatformClient, type PollPage } from '../contract.js';
import { mailToItem } from './map.js';

const host = z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.:-]+$/, 'not a host name');
const settings = z.object({
  address: z.email(),
  user: z.string().min(1).max(320),
  imapHost: host,
  imapPort: z.number().int().min(1).max(65535).default(993),
  imapTls: z.boolean().default(true),
  smtpHost: host,
  smtpPort: z.number().int().min(1).max(65535).default(465),
  smtpTls: z.boolean().default(true),
  mailbox: z.string().min(1).max(200).default('INBOX'),
  /** Answered mail moves here (created if missing); empty keeps it in the mailbox, flagged. */
  handledMailbox: z.string().max(200).default(''),
});
const credentials = z.object({ password: z.string().min(1).max(1000) });
type Settings = z.infer<typeof settings>;
type Credentials = z.infer<typeof credentials>;

/** Mails per poll; the poller comes back at once while there are more. */
const PER_POLL = 500;
interface Cursor { uidValidity: string; lastUid: number }

function classify(e: any): Error {
  if (e instanceof NeedsReauthorisation || e instanceof PlatformBusy) return e;
  if (e?.authenticationFailed || e?.responseCode === 535 || e?.code === 'EAUTH') return new NeedsReauthorisation(`the mail server refused the login: ${e.responseText ?? e.response ?? e.message}`);
  const net = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'ESOCKET', 'ECONNECTION', 'NoConnection', 'ETIMEOUT'];
  if (net.includes(e?.code) || /closed|timeout|connection/i.test(e?.message ?? '')) return new PlatformBusy(`mail server not reachable: ${e.message}`, null);
  // SMTP 4xx is "try later".
  if (typeof e?.responseCode === 'number' && e.responseCode >= 400 && e.responseCode < 500) return new PlatformBusy(`mail server: ${e.response}`, null);
  return e instanceof Error ? e : new Error(String(e));
}

function open(s: Settings, c: Credentials): PlatformClient & { watch(onNew: () => void): Promise<() => Promise<void>> } {
  const imap = (extra: { autoIdleDelay?: number } = {}) => new ImapFlow({
    ...extra,
    host: s.imapHost, port: s.imapPort, secure: s.imapTls, auth: { user: s.user, pass: c.password },
    logger: false, connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 120_000,
    // Without implicit TLS, STARTTLS is still used whenever the server offers it.
  });
  async function withImap<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
    const client = imap();
    client.on('error', () => { /* reported through the command that failed */ });
    try {
      await client.connect();
      return await fn(client);
    } catch (e) {
      throw classify(e);
    } finally {
      await client.logout().catch(() => client.close());
    }
  }

  async function poll(raw: unknown): Promise<PollPage & { more: boolean }> {
    return withImap(async (client) => {
      const lock = await client.getMailboxLock(s.mailbox);
      try {
        const mb = client.mailbox as any;
        const uidValidity = String(mb.uidValidity);
        const prev = raw as Cursor | null;
        // A new UIDVALIDITY means the server renumbered the mailbox: read it again from the
        // start; ingest recognises every mail it has by its Message-ID.
        const after = prev && prev.uidValidity === uidValidity ? prev.lastUid : 0;
        const items: ItemInput[] = [];
        let skipped = 0;
        let lastUid = after;
        let count = 0;
        let more = false;
        for await (const msg of client.fetch(`${after + 1}:*`, { uid: true, source: true, internalDate: true }, { uid: true })) {
          if (msg.uid <= after) continue; // "n:*" always returns the newest mail, even an old one
          if (count >= PER_POLL) { more = true; continue; }
          count++;
          lastUid = Math.max(lastUid, msg.uid);
          try {
            const parsed = await simpleParser(msg.source!, { skipImageLinks: true, skipHtmlToText: false });
            const it = mailToItem(parsed, { uid: msg.uid, uidValidity, mailbox: s.mailbox, internalDate: msg.internalDate ? new Date(msg.internalDate) : null });
            if (it) items.push(it); else skipped++;
          } catch {
            skipped++;
          }
        }
        return { items, skipped, more, cursor: { uidValidity, lastUid } satisfies Cursor };
      } finally {
        lock.release();
      }
    });
  }

  /** Runs fn on the mailbox the item came from, if the mailbox was not renumbered since. */
  async function onOriginal(raw: any, fn: (client: ImapFlow, uid: number) => Promise<void>): Promise<boolean> {
    if (!raw?.uid || !raw?.mailbox) return false;
    return withImap(async (client) => {
      const lock = await client.getMailboxLock(raw.mailbox);
      try {
        if (String((client.mailbox as any).uidValidity) !== String(raw.uidValidity)) return false;
        await fn(client, raw.uid);
        return true;
      } finally {
        lock.release();
      }
    });
  }

  async function reply(a: ActionRequest): Promise<ActionOutcome> {
    const raw = a.item?.raw;
    const to = raw?.replyTo?.address ?? raw?.from?.address;
    if (!to) return { state: 'unsupported', note: 'the item did not come from this mailbox, so there is no sender to answer' };
    const text = typeof a.payload?.text === 'string' ? a.payload.text : '';
    if (!text.trim()) return { state: 'failed', error: 'payload.text: a reply needs text', retry: false };
    const subject = raw.subject ? (/^\s*(re|aw|antw):/i.test(raw.subject) ? raw.subject : `Re: ${raw.subject}`) : 'Re:';
    const domain = s.address.split('@')[1];
    const messageId = `<${randomUUID()}@${domain}>`;
    const references = [...(Array.isArray(raw.references) ? raw.references : []), ...(raw.messageId ? [raw.messageId] : [])];
    const message = await new MailComposer({
      from: s.address, to, subject, text, messageId, date: new Date(),
      ...(raw.messageId ? { inReplyTo: raw.messageId, references: references.join(' ') } : {}),
    }).compile().build();
    const transport = nodemailer.createTransport({
      host: s.smtpHost, port: s.smtpPort, secure: s.smtpTls, auth: { user: s.user, pass: c.password },
      connectionTimeout: 15_000, greetingTimeout: 10_000, socketTimeout: 60_000,
    });
    try {
      await transport.sendMail({ envelope: { from: s.address, to: [to] }, raw: message });
    } catch (e) {
      throw classify(e);
    } finally {
      transport.close();
    }
    // Sent: the mail is out. Filing it is bookkeeping; a failure here must not send it twice.
    let filed = true;
    try {
      await withImap(async (client) => {
        const sent = (await client.list()).find((m) => m.specialUse === '\\Sent')?.path ?? 'Sent';
        await client.append(sent, message, ['\\Seen']);
      });
      await onOriginal(raw, async (client, uid) => {
        await client.messageFlagsAdd(String(uid), ['\\Answered', '\\Seen'], { uid: true });
        if (s.handledMailbox) {
          await client.mailboxCreate(s.handledMailbox).catch(() => { /* exists */ });
          await client.messageMove(String(uid), s.handledMailbox, { uid: true });
        }
      });
    } catch {
      filed = false;
    }
    return { state: 'done', result: { platformId: messageId, permalink: null, to, subject, filed } };
  }

  return {
    poll,
    async perform(a) {
      try {
        if (a.type === 'reply') return await reply(a);
        if (a.type === 'delete') {
          // Mail is never destroyed from Allmende: it goes to the mailbox's trash.
          const moved = await onOriginal(a.item?.raw, async (client, uid) => {
            const trash = (await client.list()).find((m) => m.specialUse === '\\Trash')?.path ?? 'Trash';
            await client.messageMove(String(uid), trash, { uid: true });
          });
          return moved ? { state: 'done', result: { movedTo: 'trash' } } : { state: 'unsupported', note: 'the mail is no longer where Allmende read it' };
        }
        return { state: 'unsupported', note: `e-mail cannot ${a.type}` };
      } catch (e) {
        throw classify(e);
      }
    },
    async test() {
      return withImap(async (client) => {
        await client.status(s.mailbox, { messages: true });
        return { account: s.address };
      });
    },
    /** IMAP IDLE on the mailbox: onNew is called when mail arrives. Returns the stop function. */
    async watch(onNew) {
      // imapflow would wait 15 s before its first IDLE; a watcher does nothing else, so at once.
      const client = imap({ autoIdleDelay: 100 });
      client.on('error', () => {});
      client.on('exists', () => onNew());
      try {
        await client.connect();
        await client.mailboxOpen(s.mailbox);
      } catch (e) {
        client.close();
        throw classify(e);
      }
      // imapflow enters IDLE by itself whenever the connection has nothing else to do.
      return async () => { await client.logout().catch(() => client.close()); };
    },
  };
}

export const email: ConnectorDefinition<Settings, Credentials> = {
  platform: 'email',
  read: ['poll', 'stream'],
  act: ['reply', 'delete'],
  missing: {
    hide: { de: 'Eine E-Mail kann man nicht verbergen: Sie liegt schon beim Empfänger. Verschiebe sie in den Papierkorb (löschen).', en: 'A mail cannot be hidden: it has already arrived. Move it to the trash (delete).' },
    ban: { de: 'Absender sperrt der Mailserver (Filterregeln), nicht Allmende.', en: 'Blocking senders is done by the mail server (filter rules), not by Allmende.' },
    mute: { de: 'Stummschalten gibt es bei E-Mail nicht.', en: 'Mail has no mute.' },
    report: { de: 'Für E-Mail gibt es keine Meldestelle.', en: 'Mail has no moderation service to report to.' },
    unhide: { de: 'Eine E-Mail kann man nicht verbergen.', en: 'A mail cannot be hidden.' },
  },
  settings, credentials,
  pollEverySeconds: 60,
  open,
};
