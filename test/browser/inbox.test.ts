// The inbox in a real browser: triage with the keyboard only; assigning and replying with a
// canned response (sent through a callback connection, a local HTTP server standing in for the
// forum); and the collision warning between two people in two browser contexts.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { startTestApp, setupOwner, addMember, as, drain, item, deliverSigned, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let browser: Browser;
let url: string;
let owner: Session;
let forum: HttpServer;
let hook: { webhookUrl: string; webhookSecret: string };
const forumReceived: any[] = [];

const recent = (s: number) => new Date(Date.now() - s * 1000).toISOString();

beforeAll(async () => {
  t = await startTestApp();
  url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  owner = await setupOwner(t.server);
  await addMember(t.server, owner, 'mod@example.org', 'moderator');
  forum = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      forumReceived.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ platformId: `forum-${forumReceived.length}`, permalink: 'https://forum.example/x' }));
    });
  });
  await new Promise<void>((r) => forum.listen(0, '127.0.0.1', r));
  const conn = await t.server.inject({ method: 'POST', url: '/api/v1/connections', headers: as(owner), payload: { platform: 'forum', name: 'Stadtforum', actionsUrl: `http://127.0.0.1:${(forum.address() as any).port}/actions` } });
  hook = conn.json();
  const res = await deliverSigned(t.server, hook, [
    item(1, { platform: 'forum', platformId: 'f-1', threadId: 'topic-1', author: { platformUserId: 'anna', handle: 'anna_k', displayName: 'Anna' }, text: 'Wann öffnet das Freibad? <script>alert(1)</script>', createdAt: recent(30) }),
    item(2, { platform: 'forum', platformId: 'f-2', threadId: 'topic-2', author: { platformUserId: 'bert', handle: 'bert_b', displayName: 'Bert' }, text: 'Die Ampel an der Schule ist kaputt.', createdAt: recent(20) }),
    item(3, { platform: 'forum', platformId: 'f-3', threadId: 'topic-3', author: { platformUserId: 'cem', handle: 'cem_c', displayName: 'Cem' }, text: 'Danke für den neuen Spielplatz!', createdAt: recent(10) }),
  ]);
  expect(res.statusCode, res.body).toBe(200);
  const canned = await t.server.inject({ method: 'POST', url: '/api/v1/inbox/canned', headers: as(owner), payload: { name: 'Freibad', language: 'de', body: 'Hallo {{name}}, das Freibad öffnet am 1. Juni. Viele Grüße, {{agent}}' } });
  expect(canned.statusCode, canned.body).toBe(201);
  await drain(t.app);
  browser = await launchChromium();
});
afterAll(async () => { await browser?.close(); await t?.close(); forum?.close(); });

async function loginTo(page: Page, email: string, password: string) {
  await page.goto(url);
  await page.getByTestId('login-email').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.keyboard.press('Enter');
  await page.getByTestId('user-name').waitFor();
  await page.goto(`${url}/#/inbox`);
  await page.getByTestId('inbox-page').waitFor();
}
const statusOf = async (platformId: string) => (await t.app.db.query<any>(
  `select c.status, u.email, c.labels from conversations c join items i on i.conversation_id = c.id left join users u on u.id = c.assignee_user_id where i.platform_id = $1`, [platformId]))[0];

describe('inbox', () => {
  it('triages with the keyboard only', async () => {
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await loginTo(page, 'mod@example.org', 'a long enough password');
    const rows = page.getByTestId('conversation-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    // Newest first: Cem, Bert, Anna. The first is open beside the list.
    expect(await rows.first().getAttribute('data-focused')).toBe('true');
    await expect.poll(() => page.getByTestId('thread').textContent()).toContain('Spielplatz');

    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await expect.poll(() => rows.nth(2).getAttribute('data-focused')).toBe('true');
    await expect.poll(() => page.getByTestId('thread').textContent()).toContain('Freibad');
    // Member text is text: the script tag is shown, not run.
    expect(await page.getByTestId('thread-item').first().locator('.thread-text').textContent()).toContain('<script>alert(1)</script>');
    await page.keyboard.press('k');
    await expect.poll(() => page.getByTestId('thread').textContent()).toContain('Ampel');

    await page.keyboard.press('a');
    await expect.poll(() => page.getByTestId('assignee').textContent()).toBe('zugewiesen an mod');
    expect((await statusOf('f-2')).email).toBe('mod@example.org');

    await page.keyboard.press('l');
    await page.keyboard.type('Verkehr');
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await statusOf('f-2')).labels).toEqual(['Verkehr']);
    await page.keyboard.press('Escape');

    await page.keyboard.press('?');
    await page.getByTestId('inbox-shortcut-sheet').waitFor();
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('inbox-shortcut-sheet').count()).toBe(0);

    await page.keyboard.press('e');
    await expect.poll(async () => (await statusOf('f-2')).status).toBe('done');
    // Closing moves on to the next conversation.
    await expect.poll(() => rows.nth(2).getAttribute('data-focused')).toBe('true');

    // Bulk: select two with x, close them together.
    await page.keyboard.press('x');
    await page.keyboard.press('k');
    await page.keyboard.press('k');
    await page.keyboard.press('x');
    await page.getByTestId('bulk-bar').waitFor();
    await page.getByTestId('bulk-close').focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => [(await statusOf('f-1')).status, (await statusOf('f-3')).status]).toEqual(['done', 'done']);
    await expect.poll(() => rows.count()).toBe(0);
    await context.close();
  });

  it('assigns and replies with a canned response', async () => {
    await t.app.db.query(`update conversations set status = 'open', assignee_user_id = null`);
    const context = await browser.newContext({ locale: 'de-DE' });
    const page = await context.newPage();
    await loginTo(page, 'owner@example.org', 'correct horse battery');
    const rows = page.getByTestId('conversation-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(3);
    await rows.filter({ hasText: 'Freibad' }).click();
    await expect.poll(() => page.getByTestId('thread').textContent()).toContain('Freibad');
    await page.getByTestId('assign-me').click();
    await expect.poll(() => page.getByTestId('assignee').textContent()).toBe('zugewiesen an Olga Owner');

    await page.getByTestId('canned-search').fill('freibad');
    await page.getByTestId('canned-option').first().click();
    await expect.poll(() => page.getByTestId('reply-text').inputValue()).toBe('Hallo Anna, das Freibad öffnet am 1. Juni. Viele Grüße, Olga Owner');
    await page.getByTestId('reply-send').click();
    await expect.poll(() => page.getByTestId('send-state').last().getAttribute('data-state'), { timeout: 20_000 }).toBe('sent');
    expect(forumReceived.at(-1)).toEqual(expect.objectContaining({ action: 'reply', payload: expect.objectContaining({ text: 'Hallo Anna, das Freibad öffnet am 1. Juni. Viele Grüße, Olga Owner', parentPlatformId: 'f-1' }) }));
    expect((await statusOf('f-1')).status).toBe('waiting');

    // A note mentioning a colleague: it stays in Allmende, and mod finds it under mentions.
    const actions = (await t.app.db.query(`select count(*)::int as n from actions`))[0].n;
    await page.getByTestId('note-text').fill('@mod bitte nächste Woche nachfassen');
    await page.getByTestId('note-save').click();
    await expect.poll(() => page.getByTestId('note').count()).toBe(1);
    expect((await t.app.db.query(`select count(*)::int as n from actions`))[0].n).toBe(actions);
    await context.close();
    const modContext = await browser.newContext({ locale: 'de-DE' });
    const mod = await modContext.newPage();
    await loginTo(mod, 'mod@example.org', 'a long enough password');
    // The answered conversation is the newest, so it opens first and the mention counts as seen.
    await mod.getByTestId('conversation-row').filter({ hasText: 'Ampel' }).click();
    await mod.getByTestId('mentions-toggle').click();
    await expect.poll(() => mod.getByTestId('mention').textContent()).toContain('Olga Owner hat dich erwähnt');
    expect(await mod.getByTestId('mention').textContent()).toContain('@mod bitte nächste Woche nachfassen');
    await mod.getByTestId('mention').click();
    await expect.poll(() => mod.getByTestId('thread').textContent()).toContain('Freibad');
    expect(await mod.getByTestId('note').textContent()).toContain('@mod bitte nächste Woche nachfassen');
    await expect.poll(async () => (await t.app.db.query<any>(`select seen_at from note_mentions`))[0].seen_at).not.toBeNull();
    await modContext.close();
  });

  it('warns two people in the same conversation about each other, live', async () => {
    await t.app.db.query(`update conversations set status = 'open'`);
    const a = await browser.newContext({ locale: 'de-DE' });
    const b = await browser.newContext({ locale: 'de-DE' });
    const pa = await a.newPage();
    const pb = await b.newPage();
    await loginTo(pa, 'mod@example.org', 'a long enough password');
    await loginTo(pb, 'owner@example.org', 'correct horse battery');
    for (const p of [pa, pb]) await p.getByTestId('conversation-row').filter({ hasText: 'Ampel' }).click();
    await expect.poll(() => pa.getByTestId('collision').textContent().catch(() => ''), { timeout: 15_000 }).toContain('Olga Owner (schaut zu)');
    await expect.poll(() => pb.getByTestId('collision').textContent().catch(() => ''), { timeout: 15_000 }).toContain('mod (schaut zu)');

    await pb.getByTestId('reply-text').click();
    await pb.keyboard.type('Wir kümmern uns');
    await expect.poll(() => pa.getByTestId('collision').textContent().catch(() => ''), { timeout: 15_000 }).toContain('Olga Owner (schreibt)');

    // Moving on clears the warning for the other.
    await pb.getByTestId('conversation-row').filter({ hasText: 'Spielplatz' }).click();
    await expect.poll(() => pa.getByTestId('collision').count(), { timeout: 15_000 }).toBe(0);
    await a.close();
    await b.close();
  });
});
