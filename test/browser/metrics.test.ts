// SLAs and figures in a real browser: the countdown in the inbox turns into a breach when the
// server's (injected) clock passes the due time, the breach appears in the notification list, and
// the metrics page shows the figures computed by hand for a small fixture.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { startTestApp, setupOwner, addMember, as, drain, item, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let browser: Browser;
let url: string;
let owner: Session;
let clock = new Date('2026-11-23T09:00:00Z');
const team = { handle: '@stadtwerke@social.example', displayName: 'Stadtwerke' };

const put = (path: string, payload: unknown) => t.server.inject({ method: 'PUT', url: `/api/v1${path}`, headers: as(owner), payload: payload as any });
const post = (path: string, payload: unknown) => t.server.inject({ method: 'POST', url: `/api/v1${path}`, headers: as(owner), payload: payload as any });

beforeAll(async () => {
  t = await startTestApp();
  t.app.clock.now = () => clock;
  url = await t.server.listen({ host: '127.0.0.1', port: 0 });
  owner = await setupOwner(t.server);
  await addMember(t.server, owner, 'mia@example.org', 'moderator');
  expect((await put('/sla/calendar', { timeZone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])) })).statusCode).toBe(200);
  expect((await put('/sla/policies', { policies: [{ name: 'Alle', firstResponseMinutes: 120, nextResponseMinutes: 60, businessHours: false }] })).statusCode).toBe(200);
  expect((await post('/items', [item(1, { platformId: 'a1', threadId: 'A', text: 'Wann fährt der Bus nach Nordstadt?', createdAt: '2026-11-23T08:00:00Z' })])).statusCode).toBe(200);
  const [conn] = (await t.server.inject({ method: 'GET', url: '/api/v1/connections', headers: as(owner) })).json().connections;
  expect((await put(`/inbox/connections/${conn.id}/own-accounts`, { accounts: [team.handle] })).statusCode).toBe(200);
  const rest = await post('/items', [
    item(2, { platformId: 'a2', threadId: 'A', author: team, text: 'Ab 8 Uhr alle 20 Minuten.', createdAt: '2026-11-23T08:30:00Z' }),
    item(3, { platformId: 'a3', threadId: 'A', text: 'Und am Sonntag?', createdAt: '2026-11-23T09:00:00Z' }),
    item(4, { platformId: 'c1', threadId: 'C', text: 'Toller Artikel über den Hafen.', createdAt: '2026-11-23T08:10:00Z' }),
    item(5, { platformId: 'c2', threadId: 'C', text: 'Könnt ihr mir bitte den Fahrplan schicken', createdAt: '2026-11-23T08:20:00Z' }),
  ]);
  expect(rest.statusCode, rest.body).toBe(200);
  await drain(t.app);
  browser = await launchChromium();
});
afterAll(async () => { await browser?.close(); await t?.close(); });

async function login(page: Page) {
  await page.goto(url);
  await page.getByTestId('login-email').fill('mia@example.org');
  await page.getByTestId('login-password').fill('a long enough password');
  await page.getByTestId('login-submit').click();
}

describe('SLA in the browser', () => {
  it('the countdown turns into a breach when the clock passes the due time', async () => {
    const page = await browser.newPage({ locale: 'de-DE', timezoneId: 'UTC' });
    await login(page);
    await page.getByTestId('nav-inbox').click();
    // A: next response due 09:00 + 60 min = 10:00; C: first response due 08:10 + 120 min = 10:10. Clock 09:00.
    const rowA = page.getByTestId('conversation-row').filter({ hasText: 'Und am Sonntag?' });
    const badgeA = rowA.getByTestId('sla-badge');
    await expect.poll(() => badgeA.getAttribute('data-state'), { timeout: 15_000 }).toBe('soon');
    expect(await badgeA.getAttribute('data-kind')).toBe('next_response');
    expect(await badgeA.textContent()).toMatch(/^Folgeantwort fällig in (60|59|1) /);

    clock = new Date('2026-11-23T10:01:00Z');
    await expect.poll(() => badgeA.getAttribute('data-state'), { timeout: 15_000 }).toBe('overdue');
    expect(await badgeA.textContent()).toMatch(/überfällig/);
    const badgeC = page.getByTestId('conversation-row').filter({ hasText: 'Fahrplan' }).getByTestId('sla-badge');
    expect(await badgeC.getAttribute('data-state')).toBe('soon');
    // The inbox filter "breached" keeps only A.
    await page.getByTestId('filter-sla').selectOption('breached');
    await expect.poll(() => page.getByTestId('conversation-row').count()).toBe(1);
    expect(await page.getByTestId('conversation-row').first().textContent()).toMatch(/Und am Sonntag\?/);

    // The notification list on the figures page shows the breach, once.
    await page.getByTestId('nav-metrics').click();
    const alerts = page.getByTestId('sla-alert');
    await expect.poll(() => alerts.count(), { timeout: 15_000 }).toBe(1);
    expect(await alerts.first().getAttribute('data-kind')).toBe('next_response');
    expect(await alerts.first().textContent()).toMatch(/Folgeantwort überfällig/);
    expect(await page.getByTestId('alerts-unseen').textContent()).toBe('1 neu');
    await page.getByTestId('alerts-seen').click();
    await expect.poll(() => alerts.first().getAttribute('data-seen')).toBe('true');
    await page.close();
  });

  it('the metrics page shows the figures computed by hand, with their definitions', async () => {
    const page = await browser.newPage({ locale: 'de-DE', timezoneId: 'UTC' });
    await login(page);
    await page.getByTestId('nav-metrics').click();
    await page.getByTestId('metrics-from').fill('2026-11-23');
    await page.getByTestId('metrics-to').fill('2026-11-23');
    await page.getByTestId('metrics-loaded').waitFor({ timeout: 15_000 });
    await expect.poll(() => page.getByTestId('metrics-loaded').getAttribute('data-from')).toBe('2026-11-23T00:00:00.000Z');
    // First response: A 08:00 → 08:30 = 30 min; C unanswered. Wall clock and business hours (08:00–08:30 is before opening: 0).
    expect(await page.getByTestId('metric-first-wall-p50').getAttribute('data-seconds')).toBe('1800');
    expect(await page.getByTestId('metric-first-wall-p50').textContent()).toBe('30 Minuten');
    expect(await page.getByTestId('metric-first-business-p50').getAttribute('data-seconds')).toBe('0');
    expect(await page.getByTestId('metric-first-count').getAttribute('data-count')).toBe('1');
    // Response rate: a1, a3 and c2 need an answer (c1 is praise); only a1 was answered → 1 of 3; within 120 min → 1 of 3.
    expect(await page.getByTestId('metric-rate-all').textContent()).toMatch(/^33\s%$/);
    expect(await page.getByTestId('metric-rate-sla').textContent()).toMatch(/^33\s%$/);
    // Volume by hour: 08:00, 08:10, 08:20 and 09:00 (UTC).
    expect(await page.getByTestId('volume-hour-8').textContent()).toBe('3');
    expect(await page.getByTestId('volume-hour-9').textContent()).toBe('1');
    expect(await page.getByTestId('volume-weekday-0').textContent()).toBe('4');
    // The chart is drawn, and every figure carries its written definition.
    expect(await page.locator('[data-testid="volume-hour"] canvas').count()).toBe(1);
    expect(await page.getByTestId('metric-first').textContent()).toMatch(/Für jede Unterhaltung, deren erster eingehender Beitrag im Zeitraum liegt/);
    expect(await page.getByTestId('metric-rate').textContent()).toMatch(/Korrektur des Teams/);
    // Broken down by platform.
    await page.getByTestId('metrics-group').selectOption('platform');
    await expect.poll(() => page.getByTestId('metrics-group-row').count()).toBe(1);
    expect(await page.getByTestId('metrics-group-row').first().getAttribute('data-group')).toBe('mastodon');
    // English definitions after switching the language.
    await page.getByTestId('language-switch').selectOption('en');
    await expect.poll(() => page.getByTestId('metric-first').textContent()).toMatch(/first inbound item falls in the period/);
    await page.close();
  });
});
