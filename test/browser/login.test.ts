// One real browser (Debian's chromium via playwright-core): first-run setup, log in, and see an
// imported item — hostile text shown as text, never run as HTML.
import { describe, it, expect } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { browserApp } from './harness.js';
import { drain, item } from '../helpers.js';
import { importFile } from '../../src/pipeline/import-file.js';

const env = browserApp();

describe('the web app', () => {
  it('sets up the owner, logs in and shows an imported item as text', async () => {
    const { t, browser, url } = env;
    const page = await browser.newPage({ locale: 'de-DE' });
    const dialogs: string[] = [];
    page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await page.goto(url);
    await page.getByTestId('setup-email').fill('owner@example.org');
    await page.getByTestId('setup-name').fill('Olga');
    await page.getByTestId('setup-password').fill('correct horse battery');
    await page.getByTestId('setup-workspace').fill('Stadtwerke Nord');
    await page.getByTestId('setup-submit').click();
    await page.getByTestId('logout').click();

    const [ws] = await t.app.db.query<{ id: string }>('select id from workspaces');
    const file = join(t.config.dataDir, 'export.ndjson');
    const hostile = '<img src=x onerror="alert(1)"><script>alert(2)</script> Wann fährt der Bus?';
    writeFileSync(file, JSON.stringify(item(1, { text: hostile, permalink: 'https://social.example/@leser/1' })) + '\n');
    await importFile(t.app.db, t.app.queue, file, { workspaceId: ws.id });
    await drain(t.app);

    await page.getByTestId('login-email').fill('owner@example.org');
    await page.getByTestId('login-password').fill('correct horse battery');
    await page.getByTestId('login-submit').click();
    // The inbox is the start page; the items page lists everything as it arrived.
    await page.getByTestId('nav-items').click();
    const row = page.getByTestId('item').first();
    await expect.poll(() => row.getByTestId('item-text').textContent(), { timeout: 15_000 }).toBe(hostile);
    expect(await row.getByTestId('item-platform').textContent()).toMatch(/mastodon/i);
    expect(await row.getByTestId('item-language').textContent()).toMatch(/Deutsch|de/);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toEqual([]);
    // German interface from the browser's language.
    expect(await page.getByTestId('logout').textContent()).toMatch(/Abmelden/);
  });
});
