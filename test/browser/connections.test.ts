// The connections page in a real browser, in German: the capability matrix says why a feed
// cannot hide; a feed (from a local HTTP server) is added, tested ("Verbindung OK, letzter
// Beitrag vor …"), paused, resumed and removed. A hostile connection name stays text.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { startTestApp, type TestEnv } from '../helpers.js';

let t: TestEnv;
let browser: Browser;
let url: string;
let feed: Server;
let feedUrl: string;

beforeAll(async () => {
  feed = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/atom+xml' });
    res.end(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Blog</title>
      <entry><id>urn:c:1</id><title>Kommentar</title><link href="https://blog.example.org/p#c1"/>
      <author><name>Anna</name></author><published>${new Date(Date.now() - 120_000).toISOString()}</published>
      <content type="html">&lt;p&gt;Schöner Beitrag!&lt;/p&gt;</content></entry></feed>`);
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  feedUrl = `http://127.0.0.1:${(feed.address() as any).port}/feed.atom`;
  t = await startTestApp();
  url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
  feed?.closeAllConnections();
  await new Promise((r) => feed?.close(r));
});

describe('the connections page', () => {
  it('adds, tests, pauses and removes a feed; shows what each platform can do', async () => {
    const page = await browser.newPage({ locale: 'de-DE' });
    const alerts: string[] = [];
    page.on('dialog', (d) => { if (d.type() === 'confirm') void d.accept(); else { alerts.push(d.message()); void d.dismiss(); } });
    await page.goto(url);
    await page.getByTestId('setup-email').fill('owner@example.org');
    await page.getByTestId('setup-name').fill('Olga');
    await page.getByTestId('setup-password').fill('correct horse battery');
    await page.getByTestId('setup-workspace').fill('Stadtwerke Nord');
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('nav-connections').click();
    await expect.poll(() => page.locator('h2#connections-title').textContent()).toBe('Verbindungen');
    await page.getByTestId('connections-empty').waitFor();

    // The matrix: Bluesky can hide, a feed cannot, and says why.
    expect(await page.getByTestId('matrix-bluesky-hide').textContent()).toContain('✓');
    expect(await page.getByTestId('matrix-feed-hide').getAttribute('title')).toMatch(/nur lesen/);
    expect(await page.getByTestId('matrix-email-hide').getAttribute('title')).toMatch(/Papierkorb/);

    const hostile = '<img src=x onerror="alert(1)">Blog';
    await page.getByTestId('add-platform').selectOption('feed');
    await page.getByTestId('add-name').fill(hostile);
    await page.getByTestId('add-url').fill(feedUrl);
    // A loopback feed is refused unless the admin says it is in the own network.
    await page.getByTestId('add-submit').click();
    await expect.poll(() => page.getByTestId('add-error').textContent(), { timeout: 15_000 }).toMatch(/internal address/);
    await page.getByTestId('add-allowPrivateNetwork').check();
    await page.getByTestId('add-submit').click();
    await expect.poll(() => page.getByTestId('add-done').textContent(), { timeout: 15_000 }).toBe(`Verbunden: ${feedUrl}.`);
    const row = page.getByTestId('connection').first();
    expect(await row.getByTestId('connection-name').textContent()).toBe(hostile);
    expect(await page.locator('img[src="x"]').count()).toBe(0);

    // The first read happens by itself; then the test names the last item's age.
    await expect.poll(async () => (await t.app.db.query('select 1 from items')).length, { timeout: 15_000 }).toBe(1);
    await row.getByTestId('connection-test').click();
    await expect.poll(() => page.getByTestId('connection-note').textContent(), { timeout: 15_000 }).toMatch(/^Verbindung OK \(.*\), letzter Beitrag vor 2 Minuten\.$/);

    await row.getByTestId('connection-pause').click();
    await expect.poll(() => row.getByTestId('connection-status').textContent()).toBe('pausiert');
    await row.getByTestId('connection-resume').click();
    await expect.poll(() => row.getByTestId('connection-status').textContent()).toBe('aktiv');

    await row.getByTestId('connection-remove').click();
    await page.getByTestId('connections-empty').waitFor();
    expect(alerts).toEqual([]);
  });
});
