// Feeds against a local HTTP server that behaves like a real blog's comment feed: ETag and
// Last-Modified for conditional GET, and on demand the faults a real one has — 429 with
// Retry-After, 503, a connection cut in the middle of the body, a broken document. After
// recovery every comment is stored exactly once.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import { startTestApp, setupOwner, as, type TestEnv, type Session, waitFor } from '../helpers.js';
import { createPoller } from '../../src/connectors/poller.js';
import { openApp, type App } from '../../src/app.js';

type Fault = 'ok' | '429' | '503' | 'cut' | 'garbage' | 'slow';
let inFlight = 0;
let maxInFlight = 0;
const comments: { id: number; author: string; text: string; at: string }[] = [];
const faults: Fault[] = [];
const requests: { at: number; ifNoneMatch: string | null; ifModifiedSince: string | null; status: number }[] = [];
const LAST_MODIFIED = 'Wed, 25 Nov 2026 08:00:00 GMT';
let feedServer: Server;
let feedUrl: string;
let t: TestEnv;
let owner: Session;
let connectionId: string;

function rss(): string {
  const items = comments.map((c) => `
    <item>
      <title>Kommentar von ${c.author}</title>
      <link>https://blog.example.org/linie-5#comment-${c.id}</link>
      <guid isPermaLink="false">comment-${c.id}</guid>
      <dc:creator><![CDATA[${c.author}]]></dc:creator>
      <pubDate>${new Date(c.at).toUTCString()}</pubDate>
      <description><![CDATA[<p>${c.text}</p>]]></description>
    </item>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel><title>Kommentare zu: Linie 5</title><link>https://blog.example.org/linie-5</link>${items}
  </channel>
</rss>`;
}

function addComment(author: string, text: string) {
  const id = comments.length + 1;
  comments.push({ id, author, text, at: new Date(Date.UTC(2026, 10, 25, 8, id)).toISOString() });
}

const pollNow = () => t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
const statusOf = async () => (await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).json().connections.find((c: any) => c.id === connectionId);
const stored = () => t.app.db.query<{ platform_id: string; text: string; author_handle: string; thread_id: string }>('select platform_id, text, author_handle, thread_id from items where connection_id = $1 order by platform_id', [connectionId]);
/** Waits for the feed server to have answered n requests in all. */
const requestsReach = (n: number, ms?: number) => waitFor(`request ${n}`, async () => requests.length >= n && requests, ms);

beforeAll(async () => {
  addComment('Anna', 'Fährt die Linie 5 auch nachts?');
  addComment('Bernd', 'Danke für die Info &amp; den Fahrplan!');
  addComment('Cem', 'Endlich wieder ein Bus nach Nordstadt.');
  feedServer = createServer(async (req, res) => {
    const fault = faults.shift() ?? 'ok';
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => inFlight--);
    if (fault === 'slow') await new Promise((r) => setTimeout(r, 1500));
    const body = rss();
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const log = (status: number) => requests.push({ at: Date.now(), ifNoneMatch: (req.headers['if-none-match'] as string) ?? null, ifModifiedSince: (req.headers['if-modified-since'] as string) ?? null, status });
    if (fault === '429') { log(429); res.writeHead(429, { 'retry-after': '7' }); return res.end('slow down'); }
    if (fault === '503') { log(503); res.writeHead(503); return res.end('maintenance'); }
    if (fault === 'garbage') { log(200); res.writeHead(200, { 'content-type': 'text/html' }); return res.end('<html><body>Wartungsarbeiten</body></html>'); }
    if (fault === 'cut') {
      log(200);
      res.writeHead(200, { 'content-type': 'application/rss+xml', 'content-length': String(Buffer.byteLength(body)), etag });
      res.write(body.slice(0, body.length / 2));
      setTimeout(() => res.socket?.destroy(), 50);
      return;
    }
    if (req.headers['if-none-match'] === etag) { log(304); res.writeHead(304, { etag }); return res.end(); }
    log(200);
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'last-modified': LAST_MODIFIED });
    res.end(body);
  });
  await new Promise<void>((r) => feedServer.listen(0, '127.0.0.1', r));
  feedUrl = `http://127.0.0.1:${(feedServer.address() as any).port}/linie-5/feed`;
  t = await startTestApp();
  owner = await setupOwner(t.server);
});

let restarted: App | null = null;
afterAll(async () => {
  await restarted?.close();
  await t?.close();
  feedServer?.closeAllConnections();
  await new Promise((r) => feedServer?.close(r));
});

describe('feed connector', () => {
  it('refuses a URL that is not http(s), naming the field', async () => {
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/feed/connections', headers: as(owner), payload: { name: 'Blog', settings: { url: 'file:///etc/passwd' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^settings\.url/);
  });

  it('refuses a feed on a loopback or private address unless the connection allows it', async () => {
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/feed/connections', headers: as(owner), payload: { name: 'Intern', settings: { url: feedUrl } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/feed address refused: 127\.0\.0\.1 is an internal address/);
    const meta = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/feed/connections', headers: as(owner), payload: { name: 'Metadata', settings: { url: 'http://169.254.169.254/latest/meta-data/' } } });
    expect(meta.statusCode).toBe(400);
    expect(meta.json().error.message).toMatch(/internal address/);
    const listed = (await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).json().connections;
    expect(listed.filter((c: any) => c.platform === 'feed')).toEqual([]);
  });

  it('reads the comment feed: each comment an item in the post\'s thread, HTML as text', async () => {
    // The test's feed server is on loopback, which an admin must allow for the connection.
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/feed/connections', headers: as(owner), payload: { name: 'Blog', settings: { url: feedUrl, allowPrivateNetwork: true } } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().account).toBe(feedUrl);
    connectionId = res.json().id;
    const items = await waitFor('three comments', async () => { const s = await stored(); return s.length === 3 && s; });
    expect(items[1]).toEqual({ platform_id: 'comment-2', text: 'Danke für die Info & den Fahrplan!', author_handle: 'Bernd', thread_id: 'https://blog.example.org/linie-5' });
  });

  it('asks with If-None-Match and If-Modified-Since; an unchanged feed is a 304 and stores nothing', async () => {
    const n = requests.length;
    await pollNow();
    const log = await requestsReach(n + 1);
    expect(log[n]).toMatchObject({ status: 304, ifModifiedSince: LAST_MODIFIED });
    expect(log[n].ifNoneMatch).toMatch(/^"[0-9a-f]{16}"$/);
    expect((await stored()).length).toBe(3);
  });

  it('waits as long as Retry-After asks, rides out 503 and a cut connection, then stores every new comment exactly once', async () => {
    addComment('Dora', 'Wo ist die neue Haltestelle?');
    addComment('Emil', 'Die Haltestelle ist am Markt.');
    faults.push('429', '503', 'cut', 'garbage');
    const n = requests.length;
    await pollNow();
    const log = await requestsReach(n + 1);
    expect(log[n].status).toBe(429);
    const s = await waitFor('the 429 recorded', async () => { const c = await statusOf(); return c.lastError ? c : null; });
    expect(s.lastError).toMatch(/429/);
    expect(Date.parse(s.nextPollAt) - log[n].at).toBeGreaterThanOrEqual(6_500);
    // The poller comes back by itself, not before the seven seconds are up.
    const after = await requestsReach(n + 2, 15_000);
    expect(after[n + 1].at - after[n].at).toBeGreaterThanOrEqual(7_000);
    expect(after[n + 1].status).toBe(503);
    // The 503 would mean a longer wait; a person presses "read now" through the cut and the broken document.
    for (const i of [2, 3]) {
      await waitFor('the failure recorded', async () => (await statusOf()).nextPollAt > new Date().toISOString());
      await pollNow();
      await requestsReach(n + i + 1);
    }
    await waitFor('the broken document reported', async () => /neither RSS, Atom nor JSON Feed/.test((await statusOf()).lastError ?? ''));
    expect((await stored()).length).toBe(3);
    await waitFor('the failure recorded', async () => (await statusOf()).nextPollAt > new Date().toISOString());
    await pollNow();
    const items = await waitFor('five comments', async () => { const all = await stored(); return all.length === 5 && all; });
    expect(items.map((i) => i.platform_id)).toEqual(['comment-1', 'comment-2', 'comment-3', 'comment-4', 'comment-5']);
    const status = await waitFor('recovered', async () => { const c = await statusOf(); return c.lastError === null ? c : null; });
    expect(status.status).toBe('active');
    expect(status.lastItemAt).toBe('2026-11-25T08:05:00.000Z');
  });

  it('pause stops reading, resume starts again; the capability matrix says why a feed cannot hide', async () => {
    const paused = await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/pause`, headers: as(owner) });
    expect(paused.json().status).toBe('paused');
    const n = requests.length;
    await pollNow();
    await new Promise((r) => setTimeout(r, 2500));
    expect(requests.length).toBe(n);
    expect((await t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/resume`, headers: as(owner) })).json().status).toBe('active');
    await requestsReach(n + 1);
    const matrix = (await t.server.inject({ method: 'GET', url: '/api/v1/connectors', headers: as(owner) })).json();
    const f = matrix.connectors.find((c: any) => c.platform === 'feed');
    expect(f.act).toEqual([]);
    expect(f.missing.hide.de).toMatch(/nur lesen/);
  });

  it('several workers never poll the same connection at once (one lease per connection)', async () => {
    // Two more pollers, as in two more worker processes, next to the app's own.
    const others = [createPoller(t.app.db, t.app.queue, t.app.secrets), createPoller(t.app.db, t.app.queue, t.app.secrets)];
    // The app's own poller may still be finishing the read that "resume" started.
    await waitFor('no poll running', async () => (await t.app.db.query('select 1 from connections where id = $1 and lease_owner is null', [connectionId])).length > 0);
    faults.push('slow', 'slow', 'slow');
    maxInFlight = 0;
    const n = requests.length;
    await pollNow();
    const results = await Promise.all([...others.map((p) => p.pollDue()), ...others.map((p) => p.pollDue())]);
    await requestsReach(n + 1);
    await new Promise((r) => setTimeout(r, 2000));
    expect(maxInFlight).toBe(1);
    expect(requests.length).toBe(n + 1);
    expect(results.flat().filter((r) => r.connectionId === connectionId).length).toBeLessThanOrEqual(1);
    faults.length = 0;
  });

  it('after a restart the stored read position is used: a 304, nothing read twice', async () => {
    const [{ n: before }] = await t.app.db.query<{ n: number }>('select count(*)::int as n from items where connection_id = $1', [connectionId]);
    const [{ cursor }] = await t.app.db.query<{ cursor: any }>('select cursor from connections where id = $1', [connectionId]);
    // Stop this Allmende (server and workers), then start a new one on the same database.
    await t.server.close();
    await t.app.close();
    // Closed here; the shared clean-up at the end still removes the database.
    t.app.close = async () => {};
    (t.server as any).close = async () => {};
    restarted = await openApp(t.config, { workers: true });
    const n = requests.length;
    await restarted.db.query('update connections set next_poll_at = now() where id = $1', [connectionId]);
    const log = await requestsReach(n + 1);
    expect(log[n]).toMatchObject({ status: 304, ifNoneMatch: cursor.etag });
    await waitFor('the poll recorded', async () => (await restarted!.db.query<any>('select lease_owner from connections where id = $1', [connectionId]))[0].lease_owner === null);
    const [{ n: after }] = await restarted.db.query<{ n: number }>('select count(*)::int as n from items where connection_id = $1', [connectionId]);
    expect(after).toBe(before);
  });
});
