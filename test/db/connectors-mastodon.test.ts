// Mastodon REST API client. No Mastodon server runs here, so a local HTTP server replays payloads
// in the shapes documented on docs.joinmastodon.org (entities Notification, Status, Account,
// Relationship, Report, Context; methods notifications, statuses, accounts, reports) and checks
// the requests the connector makes: Bearer token, min_id cursor, in_reply_to_id, Idempotency-Key.
// Faults as documented: 429 with X-RateLimit-Reset (a time), 401 for a revoked token.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { startTestApp, setupOwner, createToken, as, waitFor, type TestEnv, type Session } from '../helpers.js';

const TOKEN = 'ZA-Yj3aBD8U8Cm7lKUp-lm9O9BmDgdhHzDeqsY8tlL0';
let token = TOKEN;
let api: Server;
let instance: string;
let t: TestEnv;
let owner: Session;
let connectionId: string;
const requests: { method: string; path: string; query: URLSearchParams; auth: string | undefined; idem: string | undefined; body: any; at: number }[] = [];
const faults: ('429' | '401')[] = [];
let resetSent = 0;

const account = (id: string, username: string, domain: string | null, name: string) => ({
  id, username, acct: domain ? `${username}@${domain}` : username, display_name: name, locked: false, bot: false,
  created_at: '2023-04-01T00:00:00.000Z', note: '<p></p>', url: domain ? `https://${domain}/@${username}` : `https://social.example/@${username}`,
  avatar: 'https://social.example/avatars/original/missing.png', followers_count: 10, following_count: 12, statuses_count: 40,
  emojis: [], fields: [],
});
const BRAND = account('109000000000000001', 'stadtwerke', null, 'Stadtwerke Nord');
const ANNA = account('109000000000000777', 'anna', 'mastodon.example', 'Anna A.');
const status = (id: string, content: string, over: Record<string, unknown> = {}) => ({
  id, created_at: '2026-11-25T08:00:00.000Z', in_reply_to_id: null, in_reply_to_account_id: null, sensitive: false, spoiler_text: '',
  visibility: 'public', language: 'de', uri: `https://mastodon.example/users/anna/statuses/${id}`, url: `https://mastodon.example/@anna/${id}`,
  replies_count: 0, reblogs_count: 0, favourites_count: 0, favourited: false, reblogged: false, muted: false, bookmarked: false,
  content, reblog: null, application: null, account: ANNA, media_attachments: [], mentions: [{ id: BRAND.id, username: 'stadtwerke', url: BRAND.url, acct: 'stadtwerke' }],
  tags: [], emojis: [], card: null, poll: null, ...over,
});
const notifications: any[] = [];
const notify = (id: string, type: string, st: any) => notifications.push({ id, type, created_at: st?.created_at ?? '2026-11-25T08:00:00.000Z', account: ANNA, status: st });
const posted: any[] = [];

beforeAll(async () => {
  notify('1001', 'mention', status('113000000000000101', '<p><span class="h-card"><a href="https://social.example/@stadtwerke" class="u-url mention">@<span>stadtwerke</span></a></span> Wann fährt die Linie 5 wieder?</p>'));
  notify('1002', 'favourite', status('113000000000000050', '<p>egal</p>'));
  notify('1003', 'mention', status('113000000000000103', '<p>Und nachts?</p>', { in_reply_to_id: '113000000000000101', in_reply_to_account_id: BRAND.id, created_at: '2026-11-25T08:05:00.000Z', spoiler_text: 'Frage' }));
  notify('1004', 'mention', null);
  api = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url!, instance);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : null;
    requests.push({ method: req.method!, path: url.pathname, query: url.searchParams, auth: req.headers.authorization, idem: req.headers['idempotency-key'] as string | undefined, body, at: Date.now() });
    const send = (code: number, json: unknown, headers: Record<string, string> = {}) => { res.writeHead(code, { 'content-type': 'application/json; charset=utf-8', ...headers }); res.end(JSON.stringify(json)); };
    const fault = url.pathname === '/api/v1/notifications' ? faults.shift() : undefined;
    if (fault === '429') {
      // Long enough that a loaded machine still sees the wait in the status before the retry clears it.
      resetSent = Date.now() + 15_000;
      return send(429, { error: 'Too many requests' }, { 'x-ratelimit-limit': '300', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': new Date(resetSent).toISOString() });
    }
    if (req.headers.authorization !== `Bearer ${token}` || fault === '401') return send(401, { error: 'The access token is invalid' });
    if (url.pathname === '/api/v1/accounts/verify_credentials') return send(200, BRAND);
    if (url.pathname === '/api/v1/notifications') {
      const types = url.searchParams.getAll('types[]');
      const min = url.searchParams.get('min_id');
      const limit = Number(url.searchParams.get('limit') ?? 40);
      // min_id: the page right after it; newest first, as Mastodon answers.
      const page = notifications.filter((n) => (!types.length || types.includes(n.type)) && (!min || BigInt(n.id) > BigInt(min)))
        .sort((a, b) => Number(BigInt(a.id) - BigInt(b.id))).slice(0, limit).reverse();
      return send(200, page);
    }
    let m = /^\/api\/v1\/statuses\/(\d+)\/context$/.exec(url.pathname);
    if (m) return send(200, { ancestors: m[1] === '113000000000000103' ? [status('113000000000000101', '<p>…</p>')] : [], descendants: [] });
    if (url.pathname === '/api/v1/statuses' && req.method === 'POST') {
      const s = { ...status(String(114000000000000000n + BigInt(posted.length + 1)), `<p>${body.status}</p>`, { in_reply_to_id: body.in_reply_to_id, account: BRAND }), url: `https://social.example/@stadtwerke/${114000000000000000n + BigInt(posted.length + 1)}` };
      posted.push(s);
      return send(200, s);
    }
    m = /^\/api\/v1\/statuses\/(\d+)$/.exec(url.pathname);
    if (m && req.method === 'DELETE') return send(200, posted.find((p) => p.id === m![1]) ?? {});
    m = /^\/api\/v1\/accounts\/(\d+)\/(block|mute)$/.exec(url.pathname);
    if (m) return send(200, { id: m[1], following: false, showing_reblogs: false, notifying: false, followed_by: false, blocking: m[2] === 'block', blocked_by: false, muting: m[2] === 'mute', muting_notifications: m[2] === 'mute', requested: false, domain_blocking: false, endorsed: false, note: '' });
    if (url.pathname === '/api/v1/reports') return send(200, { id: '48914', action_taken: false, action_taken_at: null, category: body.category, comment: body.comment, forwarded: body.forward, created_at: new Date().toISOString(), status_ids: body.status_ids, rule_ids: null, target_account: ANNA });
    send(404, { error: 'Record not found' });
  });
  await new Promise<void>((r) => api.listen(0, '127.0.0.1', r));
  instance = `http://127.0.0.1:${(api.address() as any).port}`;
  t = await startTestApp();
  owner = await setupOwner(t.server);
});
afterAll(async () => {
  await t?.close();
  api?.closeAllConnections();
  await new Promise((r) => api?.close(r));
});

const stored = () => t.app.db.query<any>('select id, platform_id, kind, thread_id, parent_id, author_handle, author_platform_id, text, permalink from items where connection_id = $1 order by platform_id', [connectionId]);
const statusOf = async () => (await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).json().connections.find((c: any) => c.id === connectionId);
const addAction = async (itemId: number, type: string, payload: unknown = {}) => {
  const [ws] = await t.app.db.query<any>('select workspace_id from connections where id = $1', [connectionId]);
  await t.app.db.query(`insert into actions (workspace_id, item_id, connection_id, type, payload) values ($1, $2, $3, $4, $5)`, [ws.workspace_id, itemId, connectionId, type, JSON.stringify(payload)]);
};
const actionDone = (itemId: number, type: string) => waitFor(`${type} done`, async () => {
  const [a] = await t.app.db.query<any>('select state, result, last_error from actions where item_id = $1 and type = $2', [itemId, type]);
  return a && a.state !== 'pending' && a.state !== 'running' && a;
});

describe('Mastodon (REST API client, documented payloads replayed)', () => {
  it('connects with the access token; a wrong token is refused, naming the problem', async () => {
    const bad = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/mastodon/connections', headers: as(owner), payload: { name: 'Mastodon', settings: { instance, allowPrivateNetwork: true }, credentials: { accessToken: 'falsch' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('credentials_refused');
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/mastodon/connections', headers: as(owner), payload: { name: 'Mastodon', settings: { instance, allowPrivateNetwork: true }, credentials: { accessToken: TOKEN } } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().account).toBe(`@stadtwerke@${new URL(instance).host}`);
    connectionId = res.json().id;
  });

  it('reads mentions into items with thread structure; other notification types and broken entries are skipped', async () => {
    const items = await waitFor('two mentions', async () => { const s = await stored(); return s.length === 2 && s; });
    expect(items[0]).toMatchObject({ platform_id: '113000000000000101', kind: 'mention', thread_id: '113000000000000101', parent_id: null, author_handle: '@anna@mastodon.example', author_platform_id: ANNA.id, text: '@stadtwerke Wann fährt die Linie 5 wieder?', permalink: 'https://mastodon.example/@anna/113000000000000101' });
    expect(items[1]).toMatchObject({ platform_id: '113000000000000103', kind: 'reply', thread_id: '113000000000000101', parent_id: '113000000000000101', text: 'Frage\n\nUnd nachts?' });
    const first = requests.find((r) => r.path === '/api/v1/notifications')!;
    expect(first.auth).toBe(`Bearer ${TOKEN}`);
    expect(first.query.getAll('types[]')).toEqual(['mention']);
    const [{ cursor }] = await t.app.db.query<any>('select cursor from connections where id = $1', [connectionId]);
    expect(cursor).toEqual({ lastId: '1004' });
  });

  it('asks only for what is newer (min_id), waits out a 429 until X-RateLimit-Reset, stores each new mention once', async () => {
    notify('1005', 'mention', status('113000000000000105', '<p>Danke!</p>', { created_at: '2026-11-25T09:00:00.000Z' }));
    faults.push('429');
    const n = requests.length;
    await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
    const s = await waitFor('the 429 recorded', async () => { const c = await statusOf(); return /429/.test(c.lastError ?? '') && c; });
    // Compared with the reset the server sent, not with the clock when the status was seen.
    expect(Date.parse(s.nextPollAt)).toBeGreaterThanOrEqual(resetSent - 1);
    await waitFor('read after the reset', async () => (await stored()).length === 3, 40_000);
    const polls = requests.slice(n).filter((r) => r.path === '/api/v1/notifications');
    expect(polls.map((p) => p.query.get('min_id'))).toEqual(['1004', '1004']);
    expect(polls[1].at).toBeGreaterThanOrEqual(resetSent - 1);
    // Read again: nothing new, nothing stored twice.
    const before = requests.filter((r) => r.path === '/api/v1/notifications').length;
    await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
    await waitFor('polled again', async () => requests.filter((r) => r.path === '/api/v1/notifications').length > before
      && (await t.app.db.query('select 1 from connections where id = $1 and lease_owner is null', [connectionId])).length > 0);
    expect(requests.filter((r) => r.path === '/api/v1/notifications').at(-1)!.query.get('min_id')).toBe('1005');
    expect((await stored()).map((i) => i.platform_id)).toEqual(['113000000000000101', '113000000000000103', '113000000000000105']);
  });

  it('replies (in_reply_to_id, the author mentioned, Idempotency-Key), blocks, mutes, reports; deletes only its own posts', async () => {
    const [, reply] = await stored();
    await addAction(reply.id, 'reply', { text: 'Ja, auch nachts alle 30 Minuten.' });
    const done = await actionDone(reply.id, 'reply');
    expect(done.state).toBe('done');
    const post = requests.find((r) => r.path === '/api/v1/statuses' && r.method === 'POST')!;
    expect(post.body).toEqual({ status: '@anna@mastodon.example Ja, auch nachts alle 30 Minuten.', in_reply_to_id: '113000000000000103', visibility: 'public' });
    expect(post.idem).toMatch(/^allmende-action-\d+$/);
    expect(done.result.platformId).toBe(posted[0].id);

    await addAction(reply.id, 'ban');
    await addAction(reply.id, 'mute');
    await addAction(reply.id, 'report', { reason: 'Beleidigung', category: 'violation' });
    expect((await actionDone(reply.id, 'ban')).result).toMatchObject({ account: ANNA.id, blocking: true });
    expect((await actionDone(reply.id, 'mute')).result).toMatchObject({ account: ANNA.id, muting: true });
    expect((await actionDone(reply.id, 'report')).result).toEqual({ report: '48914' });
    const report = requests.find((r) => r.path === '/api/v1/reports')!;
    expect(report.body).toEqual({ account_id: ANNA.id, status_ids: ['113000000000000103'], comment: 'Beleidigung', forward: true, category: 'violation' });

    // Anna's post is not the brand's: deleting is refused with the reason, nothing is sent.
    await addAction(reply.id, 'delete');
    const del = await actionDone(reply.id, 'delete');
    expect(del.state).toBe('unsupported');
    expect(requests.some((r) => r.method === 'DELETE')).toBe(false);
    // The brand's own status (as ingested from the instance) can be deleted.
    const api = await createToken(t.server, owner);
    const sent = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${api}` }, payload: [
      { platform: 'mastodon', connection: 'Mastodon', platformId: posted[0].id, kind: 'reply', text: 'Ja, auch nachts alle 30 Minuten.', raw: { type: 'mention', status: posted[0] } }] });
    expect(sent.statusCode, sent.body).toBe(200);
    const [own] = await t.app.db.query<any>('select id from items where connection_id = $1 and platform_id = $2', [connectionId, posted[0].id]);
    await addAction(own.id, 'delete');
    expect((await actionDone(own.id, 'delete')).state).toBe('done');
    expect(requests.filter((r) => r.method === 'DELETE').map((r) => r.path)).toEqual([`/api/v1/statuses/${posted[0].id}`]);
  });

  it('a revoked token: the connection shows "needs re-authorisation", nothing is lost, and it reads again with a new token', async () => {
    token = 'new-token-after-revocation';
    notify('1006', 'mention', status('113000000000000106', '<p>Hallo?</p>', { created_at: '2026-11-25T10:00:00.000Z' }));
    await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
    await waitFor('needs re-authorisation', async () => (await statusOf()).status === 'needs_reauth');
    const re = await t.server.inject({ method: 'PUT', url: `/api/v1/connections/${connectionId}/credentials`, headers: as(owner), payload: { credentials: { accessToken: token } } });
    expect(re.statusCode, re.body).toBe(200);
    await waitFor('the mention after re-authorising', async () => (await stored()).some((i) => i.platform_id === '113000000000000106'));
    expect((await stored()).length).toBe(5);
  });
});
