// Own website comments in a real browser: a page on a second local HTTP server (another origin)
// embeds the widget with one script tag; a visitor posts a comment, which arrives in Allmende
// held; a moderator approves it on the review page; after a reload it shows on the site — as
// text, the markup in it inert.
import { describe, it, expect, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { browserApp, signIn } from './harness.js';
import { setupOwner, addMember, as } from '../helpers.js';

let site: Server;
let siteUrl: string;

const env = browserApp(async (t) => {
  const owner = await setupOwner(t.server);
  await addMember(t.server, owner, 'mod@example.org', 'moderator');
  site = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="de"><head><title>Linie 5</title></head><body>
      <h1>Die neue Linie 5</h1><p>Ab Dezember fährt die Linie 5 nach Nordstadt.</p>
      <script src="${allmende}/widget.js" data-connection="${connectionId}" async></script></body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  const siteOrigin = `http://127.0.0.1:${(site.address() as any).port}`;
  siteUrl = `${siteOrigin}/aktuelles/linie-5`;
  const allmende = `http://127.0.0.1:${(t.server.server.address() as any).port}`;
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/website/connections', headers: as(owner), payload: { name: 'Website', settings: { origin: siteOrigin } } });
  expect(res.statusCode, res.body).toBe(201);
  const connectionId = res.json().id;
});
afterAll(async () => { site?.closeAllConnections(); await new Promise((r) => site?.close(r)); });

describe('the comment widget on a website', () => {
  it('a visitor\'s comment is held, approved by a moderator, then shown on the page as text', async () => {
    const { t } = env;
    const visitor = await env.browser.newPage({ locale: 'de-DE' });
    visitor.setDefaultTimeout(60_000);
    await visitor.goto(siteUrl);
    await visitor.getByTestId('allmende-comments').waitFor();
    await expect.poll(() => visitor.getByTestId('allmende-list').textContent()).toBe('Noch keine Kommentare. Schreib den ersten.');

    const hostile = 'Fährt die Linie 5 auch nachts? <img src=x onerror="window.pwned=1">';
    await visitor.getByTestId('allmende-name').fill('Anna');
    await visitor.getByTestId('allmende-text').fill(hostile);
    await visitor.getByTestId('allmende-send').click();
    await expect.poll(() => visitor.getByTestId('allmende-status').textContent()).toBe('Danke! Dein Kommentar erscheint, sobald ihn jemand freigegeben hat.');
    const held = await t.app.db.query<any>(`select moderation, author_name, text from items where platform = 'website'`);
    expect(held).toEqual([{ moderation: 'held', author_name: 'Anna', text: hostile }]);
    await visitor.reload();
    await expect.poll(() => visitor.getByTestId('allmende-list').textContent()).toBe('Noch keine Kommentare. Schreib den ersten.');

    // The moderator approves it in Allmende's review queue (a approves the focused item).
    const mod = await signIn(env, 'mod@example.org', 'a long enough password');
    await mod.getByTestId('nav-review').click();
    await expect.poll(() => mod.getByTestId('review-item').count(), { timeout: 15_000 }).toBe(1);
    await mod.keyboard.press('a');
    await expect.poll(async () => (await t.app.db.query<any>(`select moderation from items where platform = 'website'`))[0].moderation).toBe('visible');

    await visitor.reload();
    const comment = visitor.getByTestId('allmende-comment');
    await expect.poll(() => comment.count()).toBe(1);
    expect(await comment.locator('strong').textContent()).toBe('Anna');
    expect(await comment.locator('p').textContent()).toBe(hostile);
    expect(await visitor.locator('img').count()).toBe(0);
    expect(await visitor.evaluate(() => (window as any).pwned)).toBeUndefined();
  });
});
