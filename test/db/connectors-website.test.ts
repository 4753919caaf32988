// Own website comments through the widget's public endpoints: pre-moderation holds a comment
// until a moderator approves it, post-moderation shows it at once; CORS for the site's origin
// only; the honeypot and the rate limit; bad input named by field. (The real browser path is
// test/browser/website-widget.test.ts.)
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, waitFor, type TestEnv, type Session } from '../helpers.js';
import { RATE_LIMIT } from '../../src/connectors/website/routes.js';

const SITE = 'https://stadtwerke-nord.example';
const PAGE = `${SITE}/aktuelles/linie-5?utm_source=x#kommentare`;
let t: TestEnv;
let owner: Session;
let pre: string;
let post: string;

const add = async (name: string, settings: Record<string, unknown>) => {
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/website/connections', headers: as(owner), payload: { name, settings } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
};
const postComment = (id: string, body: Record<string, unknown>, origin: string | null = SITE, ip = '203.0.113.7') =>
  t.server.inject({ method: 'POST', url: `/api/v1/widget/${id}/comments`, remoteAddress: ip, headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}) }, payload: body });
const shown = async (id: string, page = PAGE) => (await t.server.inject({ method: 'GET', url: `/api/v1/widget/${id}/comments?page=${encodeURIComponent(page)}`, headers: { origin: SITE } })).json().comments;
const itemsOf = (id: string) => t.app.db.query<any>('select id, text, author_name, thread_id, moderation, kind from items where connection_id = $1 order by id', [id]);

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  pre = await add('Website', { origin: `${SITE}/irgendwo` });
  post = await add('Blog', { origin: 'https://blog.stadtwerke-nord.example', postModeration: true });
});
afterAll(async () => { await t?.close(); });

describe('website comments (widget endpoints)', () => {
  it('serves the widget script with German and English words', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.body).toContain('Dein Kommentar erscheint, sobald ihn jemand freigegeben hat.');
    expect(res.body).toContain('Your comment appears once someone has approved it.');
    expect(res.body).not.toMatch(/innerHTML/);
  });

  it('pre-moderation: a comment is held (an event says why) and not shown until a moderator approves it', async () => {
    const res = await postComment(pre, { page: PAGE, name: 'Anna', text: 'Fährt die Linie 5 auch nachts? <img src=x onerror=alert(1)>' });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ shown: false });
    expect(res.headers['access-control-allow-origin']).toBe(SITE);
    const [item] = await itemsOf(pre);
    expect(item).toMatchObject({ author_name: 'Anna', thread_id: `${SITE}/aktuelles/linie-5`, moderation: 'held', kind: 'comment' });
    const [event] = await t.app.db.query<any>(`select actor, data from events where item_id = $1 and type = 'moderation'`, [item.id]);
    expect(event.data).toMatchObject({ before: 'visible', after: 'held', tool: 'website' });
    // The pipeline runs on it like on any item, and it stays held.
    await waitFor('analysed', async () => (await t.app.db.query<any>(`select stage from items where id = $1`, [item.id]))[0].stage === 'done');
    expect(await shown(pre)).toEqual([]);

    const ok = await t.server.inject({ method: 'POST', url: `/api/v1/moderation/items/${item.id}/decision`, headers: as(owner), payload: { decision: 'approve' } });
    expect(ok.json().moderation).toBe('visible');
    const comments = await shown(pre);
    expect(comments).toEqual([{ id: expect.any(String), name: 'Anna', text: 'Fährt die Linie 5 auch nachts? <img src=x onerror=alert(1)>', createdAt: expect.any(String) }]);
    // Another page of the site has its own conversation.
    expect(await shown(pre, `${SITE}/impressum`)).toEqual([]);
  });

  it('post-moderation: shown at once; hiding it in Allmende takes it off the page', async () => {
    const page = 'https://blog.stadtwerke-nord.example/2026/fahrplan';
    const res = await postComment(post, { page, name: 'Bernd', text: 'Danke für den Fahrplan!' }, 'https://blog.stadtwerke-nord.example');
    expect(res.json()).toEqual({ shown: true });
    const read = async () => (await t.server.inject({ method: 'GET', url: `/api/v1/widget/${post}/comments?page=${encodeURIComponent(page)}` })).json().comments;
    expect((await read()).map((c: any) => c.text)).toEqual(['Danke für den Fahrplan!']);
    const [item] = await itemsOf(post);
    await t.server.inject({ method: 'POST', url: `/api/v1/moderation/items/${item.id}/decision`, headers: as(owner), payload: { decision: 'hide', reason: 'Test' } });
    expect(await read()).toEqual([]);
    // The outbox's hide is done at once: the widget is the platform.
    await waitFor('hide done', async () => (await t.app.db.query<any>(`select state from actions where item_id = $1 and type = 'hide'`, [item.id]))[0]?.state === 'done');
  });

  it('CORS names only the site; a post from another origin or for another site\'s page is refused', async () => {
    const other = await t.server.inject({ method: 'GET', url: `/api/v1/widget/${pre}/comments?page=${encodeURIComponent(PAGE)}`, headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await t.server.inject({ method: 'OPTIONS', url: `/api/v1/widget/${pre}/comments`, headers: { origin: SITE, 'access-control-request-method': 'POST' } });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(SITE);
    const before = (await itemsOf(pre)).length;
    expect((await postComment(pre, { page: PAGE, name: 'Mallory', text: 'Spam' }, 'https://evil.example')).statusCode).toBe(403);
    expect((await postComment(pre, { page: PAGE, name: 'Mallory', text: 'Spam' }, null)).statusCode).toBe(403);
    const foreign = await postComment(pre, { page: 'https://evil.example/seite', name: 'Mallory', text: 'Spam' });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.message).toMatch(/^page: not an address on https:\/\/stadtwerke-nord\.example/);
    expect((await itemsOf(pre)).length).toBe(before);
  });

  it('bad input is named by field; the honeypot is thanked and dropped', async () => {
    const empty = await postComment(pre, { page: PAGE, name: '  ', text: 'Hallo' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toMatch(/^name: is empty/);
    const long = await postComment(pre, { page: PAGE, name: 'Cem', text: 'x'.repeat(5001) });
    expect(long.json().error.message).toMatch(/^text:/);
    const before = (await itemsOf(pre)).length;
    const bot = await postComment(pre, { page: PAGE, name: 'Cheap Pills', text: 'Buy now', website: 'https://pills.example' });
    expect(bot.statusCode).toBe(202);
    expect((await itemsOf(pre)).length).toBe(before);
  });

  it(`takes at most ${RATE_LIMIT.comments} comments per visitor address in the window, then 429 with Retry-After`, async () => {
    const ip = '198.51.100.23';
    for (let i = 0; i < RATE_LIMIT.comments; i++) expect((await postComment(pre, { page: PAGE, name: 'Dora', text: `Frage ${i}` }, SITE, ip)).statusCode).toBe(202);
    const refused = await postComment(pre, { page: PAGE, name: 'Dora', text: 'noch eine' }, SITE, ip);
    expect(refused.statusCode).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(500);
    // Someone else is not affected.
    expect((await postComment(pre, { page: PAGE, name: 'Emil', text: 'Hallo' }, SITE, '198.51.100.24')).statusCode).toBe(202);
    expect((await itemsOf(pre)).filter((i) => i.author_name === 'Dora').length).toBe(RATE_LIMIT.comments);
  });
});
