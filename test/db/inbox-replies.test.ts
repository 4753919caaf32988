// Replying from Allmende through a callback connection (the "forum" is a local HTTP server that
// posts replies on its own site and answers with the new comment's id and link), a failed send
// that keeps the draft, length checks per platform, canned responses with variables, internal
// notes with mentions, and live presence over server-sent events.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import { startTestApp, setupOwner, addMember, as, item, type TestEnv, type Session, waitFor, deliverSigned } from '../helpers.js';
import { verifySignature } from '../../src/connectors/signature.js';

let t: TestEnv;
let owner: Session;
let mia: Session;
let ben: Session;
let hook: { id: string; webhookUrl: string; webhookSecret: string };
let forum: HttpServer;
const received: { action: string; payload: any; signed: boolean }[] = [];
let refuseNext: string | null = null;

const get = (url: string, who = owner) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(who) });
const post = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload: payload as any });

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  mia = await addMember(t.server, owner, 'mia@example.org', 'moderator');
  ben = await addMember(t.server, owner, 'ben@example.org', 'moderator');
  forum = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const check = verifySignature({ secret: hook.webhookSecret, body, signature: req.headers['x-allmende-signature'] as string, timestamp: req.headers['x-allmende-timestamp'] as string });
      const data = JSON.parse(body.toString());
      received.push({ action: data.action, payload: data.payload, signed: check.ok });
      if (refuseNext) {
        const msg = refuseNext;
        refuseNext = null;
        res.writeHead(422, { 'content-type': 'application/json' }).end(JSON.stringify({ error: msg }));
        return;
      }
      const id = `forum-${received.length}`;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ platformId: id, permalink: `https://forum.example/c/${id}` }));
    });
  });
  await new Promise<void>((r) => forum.listen(0, '127.0.0.1', r));
  const port = (forum.address() as any).port;
  const res = await post('/connections', { platform: 'forum', name: 'Stadtforum', actionsUrl: `http://127.0.0.1:${port}/allmende-actions` });
  hook = res.json();
});
afterAll(async () => { await t?.close(); forum?.close(); });

const deliver = (rows: unknown[]) => deliverSigned(t.server, hook, rows);
async function forumConversation(n: number, text: string) {
  const res = await deliver([item(n, { platform: 'forum', platformId: `q-${n}`, threadId: `topic-${n}`, author: { platformUserId: 'anna', handle: 'anna_k', displayName: 'Anna' }, text, createdAt: new Date(Date.now() - 1000).toISOString() })]);
  expect(res.statusCode, res.body).toBe(200);
  const [row] = await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = $1`, [`q-${n}`]);
  return row.conversation_id;
}
const replyItem = async (conv: number, itemId: number) => (await get(`/inbox/conversations/${conv}`)).json().items.find((i: any) => i.id === itemId);

describe('replies', () => {
  it('records the reply at once, sends it through the connection, and keeps the platform id and link', async () => {
    const conv = await forumConversation(1, 'Wann wird die Brücke wieder geöffnet?');
    const res = await post(`/inbox/conversations/${conv}/replies`, { text: 'Voraussichtlich am Freitag, Anna!' }, mia);
    expect(res.statusCode, res.body).toBe(202);
    const { itemId } = res.json();
    const first = await replyItem(conv, itemId);
    expect(first.direction).toBe('outbound');
    expect(['sending', 'sent']).toContain(first.send.state);
    expect(first.send.by.name).toBe('mia');
    const sent = await waitFor('the expected state', async () => { const i = await replyItem(conv, itemId); return i.send.state === 'sent' && i; });
    expect(sent.platformId).toBe(`forum-${received.length}`);
    expect(sent.permalink).toBe(`https://forum.example/c/${sent.platformId}`);
    const call = received[received.length - 1];
    expect(call).toEqual({ action: 'reply', signed: true, payload: expect.objectContaining({ text: 'Voraussichtlich am Freitag, Anna!', parentPlatformId: 'q-1', threadId: 'topic-1' }) });
    const c = (await get(`/inbox/conversations/${conv}`)).json().conversation;
    expect(c.status).toBe('waiting');
    expect(c.firstOutboundAt).not.toBeNull();
    expect(c.awaitingSince).toBeNull();
    // The reply is searchable like any item.
    expect((await get('/inbox/conversations?q=Freitag&status=new,open,waiting,done')).json().conversations.map((x: any) => x.id)).toEqual([conv]);
  });

  it('shows the platform\'s error when sending fails, keeps the text, reopens, and sends again on retry', async () => {
    const conv = await forumConversation(2, 'Warum ist das Schwimmbad zu?');
    refuseNext = 'Beitrag enthält einen gesperrten Link';
    const res = await post(`/inbox/conversations/${conv}/replies`, { text: 'Wegen Wartung, siehe https://example.org/bad', status: 'done' }, mia);
    expect(res.statusCode).toBe(202);
    const { itemId } = res.json();
    const failed = await waitFor('the expected state', async () => { const i = await replyItem(conv, itemId); return i.send.state === 'failed' && i; });
    expect(failed.send.error).toContain('gesperrten Link');
    expect(failed.text).toBe('Wegen Wartung, siehe https://example.org/bad');
    const c = (await get(`/inbox/conversations/${conv}`)).json().conversation;
    expect(c.status).toBe('open');
    expect(c.lastOutboundAt).toBeNull();
    expect(c.awaitingSince).not.toBeNull();

    const again = await post(`/inbox/replies/${itemId}/retry`, {}, mia);
    expect(again.statusCode, again.body).toBe(202);
    const sent = await waitFor('the expected state', async () => { const i = await replyItem(conv, itemId); return i.send.state === 'sent' && i; });
    expect(sent.send.error).toBeNull();
    expect((await post(`/inbox/replies/${itemId}/retry`, {}, mia)).statusCode).toBe(409);
  });

  it('says so when the connection cannot reply, keeping the draft', async () => {
    const res = await post('/items', [item(5, { platformId: 'm-5', threadId: 'm-5', createdAt: new Date(Date.now() - 1000).toISOString() })]);
    expect(res.statusCode).toBe(200);
    const [row] = await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = 'm-5'`);
    const r = await post(`/inbox/conversations/${row.conversation_id}/replies`, { text: 'Danke für den Hinweis!' }, mia);
    const failed = await waitFor('the expected state', async () => { const i = await replyItem(row.conversation_id, r.json().itemId); return i.send.state === 'failed' && i; });
    expect(failed.send.error).toContain('cannot carry out actions');
    expect(failed.text).toBe('Danke für den Hinweis!');
  });

  it('checks the length per platform in characters as people count them', async () => {
    const bsky = await post('/items', [item(6, { platform: 'bluesky', platformId: 'bs-6', threadId: 'bs-6' })]);
    expect(bsky.statusCode).toBe(200);
    const [row] = await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = 'bs-6'`);
    const tooLong = await post(`/inbox/conversations/${row.conversation_id}/replies`, { text: 'a'.repeat(301) }, mia);
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.message).toBe('text: bluesky takes at most 300 characters; this reply has 301 (1 too many)');
    // 300 family emoji are 300 characters to a person (and to Bluesky), though 3,300 UTF-16 units.
    const family = '👨‍👩‍👧‍👦'.repeat(300);
    expect((await post(`/inbox/conversations/${row.conversation_id}/replies`, { text: family }, mia)).statusCode).toBe(202);
    expect((await post(`/inbox/conversations/${row.conversation_id}/replies`, { text: '   ' }, mia)).statusCode).toBe(400);
    const items = await t.app.db.query(`select 1 from items where conversation_id = $1 and direction = 'outbound'`, [row.conversation_id]);
    expect(items).toHaveLength(1);
  });
});

describe('canned responses', () => {
  it('fills the variables for the conversation, per language, and finds them by words', async () => {
    const de = await post('/inbox/canned', { name: 'Danke', language: 'de', body: 'Hallo {{name}}, danke für deine Nachricht auf {{platform}}! Viele Grüße, {{agent}} {{unbekannt}}' });
    expect(de.statusCode, de.body).toBe(201);
    await post('/inbox/canned', { name: 'Thanks', language: 'en', body: 'Hi {{name}}, thanks for your message!' });
    expect((await post('/inbox/canned', { name: 'Danke', language: 'de', body: 'doppelt' })).statusCode).toBe(409);
    expect((await post('/inbox/canned', { name: 'Leer', language: 'deutsch', body: 'x' })).statusCode).toBe(400);
    expect((await post('/inbox/canned', { name: 'Nur Manager', body: 'x' }, mia)).statusCode).toBe(403);

    const found = (await get('/inbox/canned?q=nachricht&language=en', mia)).json().canned;
    expect(found.map((c: any) => c.name)).toEqual(['Danke']);
    const ordered = (await get('/inbox/canned?language=en', mia)).json().canned;
    expect(ordered.map((c: any) => c.name)).toEqual(['Thanks', 'Danke']);

    const conv = await forumConversation(3, 'Danke für die Info');
    const filled = await post(`/inbox/conversations/${conv}/canned/${de.json().id}`, {}, mia);
    expect(filled.statusCode, filled.body).toBe(200);
    expect(filled.json().text).toBe('Hallo Anna, danke für deine Nachricht auf Forum! Viele Grüße, mia {{unbekannt}}');
    expect(filled.json().unknown).toEqual(['unbekannt']);
  });
});

describe('notes and mentions', () => {
  it('keeps notes inside Allmende and shows the mentioned colleague', async () => {
    const conv = await forumConversation(4, 'Ich habe eine Beschwerde');
    const actionsBefore = (await t.app.db.query(`select count(*)::int as n from actions`))[0].n;
    const note = await post(`/inbox/conversations/${conv}/notes`, { text: '@ben kannst du das übernehmen? <b>dringend</b>' }, mia);
    expect(note.statusCode, note.body).toBe(201);
    expect(note.json().mentions.map((m: any) => m.name)).toEqual(['ben']);
    expect((await t.app.db.query(`select count(*)::int as n from actions`))[0].n).toBe(actionsBefore);

    const mentions = (await get('/inbox/mentions', ben)).json().mentions;
    expect(mentions).toEqual([expect.objectContaining({ conversationId: conv, author: 'mia', seen: false, text: '@ben kannst du das übernehmen? <b>dringend</b>' })]);
    expect((await get('/inbox/mentions', mia)).json().mentions).toEqual([]);
    const view = (await get(`/inbox/conversations/${conv}`, ben)).json();
    expect(view.notes.map((n: any) => n.text)).toEqual(['@ben kannst du das übernehmen? <b>dringend</b>']);
    expect((await get('/inbox/mentions', ben)).json().mentions[0].seen).toBe(true);
    expect((await post(`/inbox/conversations/${conv}/notes`, { text: '   ' }, mia)).statusCode).toBe(400);
  });
});

describe('presence', () => {
  it('streams who views and types in a conversation to colleagues in the same workspace', async () => {
    const conv = await forumConversation(7, 'Wer kümmert sich?');
    const address = await t.server.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const res = await fetch(`${address}/api/v1/inbox/stream`, { headers: { cookie: ben.cookie, 'x-workspace': ben.workspace }, signal: ctrl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.getReader();
    const events: any[] = [];
    let buffer = '';
    const pump = (async () => {
      for (;;) {
        const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
        if (done) return;
        buffer += new TextDecoder().decode(value);
        let i;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const chunk = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const ev = /^event: (.*)$/m.exec(chunk)?.[1];
          const data = /^data: (.*)$/m.exec(chunk)?.[1];
          if (ev && data) events.push({ ev, data: JSON.parse(data) });
        }
      }
    })();
    try {
      await waitFor('the expected state', async () => events.some((e) => e.ev === 'snapshot'));
      expect((await post(`/inbox/conversations/${conv}/presence`, { state: 'typing' }, mia)).statusCode).toBe(200);
      const seen = await waitFor('the expected state', async () => events.find((e) => e.ev === 'presence' && e.data.conversationId === conv));
      expect(seen.data.people).toEqual([expect.objectContaining({ name: 'mia', state: 'typing' })]);
      const both = await post(`/inbox/conversations/${conv}/presence`, { state: 'viewing' }, ben);
      expect(both.json().people.map((p: any) => p.name).sort()).toEqual(['ben', 'mia']);
      await post(`/inbox/conversations/${conv}/presence`, { state: 'left' }, mia);
      await waitFor('the expected state', async () => events.find((e) => e.ev === 'presence' && e.data.people.length === 1 && e.data.people[0].name === 'ben'));
      // Another workspace's stream and view see nothing of it.
      const ws = await post('/workspaces', { name: 'Anderer Verein' });
      const other = { ...owner, workspace: ws.json().slug };
      expect((await post(`/inbox/conversations/${conv}/presence`, { state: 'viewing' }, other)).statusCode).toBe(404);
    } finally {
      ctrl.abort();
      await pump;
    }
  });
});
