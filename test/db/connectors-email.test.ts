// E-mail end to end against real Postfix and Dovecot from Debian on 127.0.0.1: a customer's
// mail arrives through SMTP and LMTP, IMAP IDLE wakes Allmende, the mail is stored with its
// thread, the reply goes out through SMTP with the threading headers, the answered mail is
// flagged and filed, and a refused password leaves the connection waiting without losing mail.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { simpleParser } from 'mailparser';
import { startTestApp, setupOwner, as, type TestEnv, type Session, waitFor } from '../helpers.js';
import { startMailServers, mailServersMissing, type MailServers } from './connectors-mailserver.js';

const missing = mailServersMissing();
if (missing) console.warn(`e-mail connector tests skipped: ${missing}`);

let mail: MailServers;
let t: TestEnv;
let owner: Session;
let connectionId: string;


/** The customer writes from their own mail program: straight to the server, no Allmende involved. */
async function customerSends(opts: { subject: string; text: string; messageId: string; inReplyTo?: string; references?: string[] }) {
  const tr = nodemailer.createTransport({ host: '127.0.0.1', port: mail.smtpPort, secure: false, ignoreTLS: true });
  await tr.sendMail({ from: '"Karla Kunde" <kunde@example.org>', to: 'support@allmende.test', ...opts });
  tr.close();
}

async function mailboxOf(user: string, password: string, box: string) {
  const c = new ImapFlow({ host: '127.0.0.1', port: mail.imapPort, secure: false, auth: { user, pass: password }, logger: false });
  await c.connect();
  const lock = await c.getMailboxLock(box);
  try {
    const out: { flags: string[]; parsed: Awaited<ReturnType<typeof simpleParser>> }[] = [];
    if ((c.mailbox as any).exists) {
      for await (const m of c.fetch('1:*', { source: true, flags: true })) out.push({ flags: [...(m.flags ?? [])], parsed: await simpleParser(m.source!) });
    }
    return out;
  } finally {
    lock.release();
    await c.logout();
  }
}

const itemByPlatformId = async (id: string) => (await t.app.db.query<any>('select id, kind, text, thread_id, parent_id, author_handle, author_name from items where platform_id = $1', [id]))[0];
const statusOf = async () => (await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).json().connections.find((c: any) => c.id === connectionId);

describe.skipIf(!!missing)('e-mail connector against Postfix and Dovecot', () => {
  beforeAll(async () => {
    mail = await startMailServers();
    mail.addUser('support@allmende.test', 'support-pw-1');
    mail.addUser('kunde@example.org', 'kunde-pw');
    t = await startTestApp();
    owner = await setupOwner(t.server);
  });
  afterAll(async () => {
    await t?.close();
    mail?.stop();
  });

  const settings = () => ({
    address: 'support@allmende.test', user: 'support@allmende.test',
    imapHost: '127.0.0.1', imapPort: mail.imapPort, imapTls: false,
    smtpHost: '127.0.0.1', smtpPort: mail.smtpPort, smtpTls: false, handledMailbox: 'Erledigt',
  });

  it('refuses a wrong password and a bad port, naming the field', async () => {
    const wrong = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/email/connections', headers: as(owner), payload: { name: 'Support', settings: settings(), credentials: { password: 'nope' } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('credentials_refused');
    const bad = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/email/connections', headers: as(owner), payload: { name: 'Support', settings: { ...settings(), imapPort: 70000 }, credentials: { password: 'x' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^settings\.imapPort/);
  });

  it('connects the support mailbox and is woken by IMAP IDLE when mail arrives', async () => {
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/email/connections', headers: as(owner), payload: { name: 'Support', settings: settings(), credentials: { password: 'support-pw-1' } } });
    expect(res.statusCode, res.body).toBe(201);
    connectionId = res.json().id;
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).body).not.toContain('support-pw-1');
    // The first poll runs at once; after it the next one is a minute away, so only IDLE can bring mail sooner.
    await waitFor('first poll', async () => (await statusOf()).lastPolledAt);
    await new Promise((r) => setTimeout(r, 6000)); // the watcher holds its IDLE connection by now
    const sentAt = Date.now();
    await customerSends({ subject: 'Zählerstand', text: 'Hallo, mein Zählerstand ist 4711. Siehe https://example.org/foto', messageId: '<frage-1@example.org>' });
    const item = await waitFor('the mail stored', () => itemByPlatformId('<frage-1@example.org>'));
    expect(Date.now() - sentAt).toBeLessThan(10_000);
    expect(item).toMatchObject({ kind: 'email', thread_id: '<frage-1@example.org>', parent_id: null, author_handle: 'kunde@example.org', author_name: 'Karla Kunde' });
    expect(item.text).toContain('Zählerstand ist 4711');
  });

  it('threads a follow-up by In-Reply-To and References', async () => {
    await customerSends({ subject: 'Re: Zählerstand', text: 'Noch ein Foto.', messageId: '<frage-2@example.org>', inReplyTo: '<frage-1@example.org>', references: ['<frage-1@example.org>'] });
    await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
    const item = await waitFor('the follow-up stored', () => itemByPlatformId('<frage-2@example.org>'));
    expect(item).toMatchObject({ thread_id: '<frage-1@example.org>', parent_id: '<frage-1@example.org>' });
  });

  it('replies with threading headers; the answered mail is flagged and filed, a copy is in Sent', async () => {
    const item = await itemByPlatformId('<frage-2@example.org>');
    await t.app.db.query(`insert into actions (workspace_id, item_id, connection_id, type, payload) select workspace_id, id, connection_id, 'reply', $2 from items where id = $1`,
      [item.id, JSON.stringify({ text: 'Danke, Karla! Der Zählerstand ist eingetragen.' })]);
    const done = await waitFor('reply done', async () => {
      const [a] = await t.app.db.query<any>(`select state, result, last_error from actions where item_id = $1 and type = 'reply'`, [item.id]);
      if (a?.state === 'failed') throw new Error(a.last_error);
      return a?.state === 'done' ? a : null;
    });
    expect(done.result.platformId).toMatch(/^<[^@]+@allmende\.test>$/);
    const inbox = await waitFor('the reply in the customer\'s inbox', async () => { const m = await mailboxOf('kunde@example.org', 'kunde-pw', 'INBOX'); return m.length ? m : null; });
    const got = inbox[0].parsed;
    expect(got.messageId).toBe(done.result.platformId);
    expect(got.inReplyTo).toBe('<frage-2@example.org>');
    expect([got.references].flat()).toEqual(['<frage-1@example.org>', '<frage-2@example.org>']);
    expect(got.subject).toBe('Re: Zählerstand');
    expect(got.text).toContain('Der Zählerstand ist eingetragen.');
    const filed = await mailboxOf('support@allmende.test', 'support-pw-1', 'Erledigt');
    expect(filed.map((m) => [m.parsed.messageId, m.flags.includes('\\Answered')])).toEqual([['<frage-2@example.org>', true]]);
    const sent = await mailboxOf('support@allmende.test', 'support-pw-1', 'Sent');
    expect(sent.map((m) => m.parsed.messageId)).toEqual([done.result.platformId]);
  });

  it('a changed password shows "needs re-authorisation"; mail that came meanwhile arrives once after re-authorising', async () => {
    const [{ n: before }] = await t.app.db.query<{ n: number }>('select count(*)::int as n from items where connection_id = $1', [connectionId]);
    await mail.setPassword('support@allmende.test', 'support-pw-2');
    await customerSends({ subject: 'Noch da?', text: 'Hallo?', messageId: '<frage-3@example.org>' });
    await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
    const s = await waitFor('needs re-authorisation', async () => { const c = await statusOf(); return c.status === 'needs_reauth' ? c : null; });
    expect(s.lastError).toMatch(/refused the login/);
    const re = await t.server.inject({ method: 'PUT', url: `/api/v1/connections/${connectionId}/credentials`, headers: as(owner), payload: { credentials: { password: 'support-pw-2' } } });
    expect(re.statusCode, re.body).toBe(200);
    await waitFor('the waiting mail stored', () => itemByPlatformId('<frage-3@example.org>'));
    // More polls read nothing twice.
    await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
    const polled = (await statusOf()).lastPolledAt;
    await waitFor('another poll', async () => (await statusOf()).lastPolledAt > polled);
    const [{ n: after }] = await t.app.db.query<{ n: number }>('select count(*)::int as n from items where connection_id = $1', [connectionId]);
    expect(after).toBe(before + 1);
  });

  it('deleting moves the mail to the trash, never destroys it', async () => {
    const item = await itemByPlatformId('<frage-3@example.org>');
    await t.app.db.query(`insert into actions (workspace_id, item_id, connection_id, type) select workspace_id, id, connection_id, 'delete' from items where id = $1`, [item.id]);
    await waitFor('delete done', async () => (await t.app.db.query<any>(`select state from actions where item_id = $1 and type = 'delete'`, [item.id]))[0]?.state === 'done');
    const trash = await mailboxOf('support@allmende.test', 'support-pw-2', 'Trash');
    expect(trash.map((m) => m.parsed.messageId)).toEqual(['<frage-3@example.org>']);
  });
});
