// The campaign view in a real browser: near-copies from many accounts arrive, the campaign shows
// its items, accounts and timeline, and one action holds all its items. Then the held items show
// the campaign evidence in the review queue.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner, addMember, createToken, drain, item } from '../helpers.js';

const base = 'Achtung! Ab Montag wird das Trinkwasser in Nordstadt abgestellt, kauft sofort Wasser im Supermarkt';
const variants = [base, base + ' !!!', base.replace('sofort', 'jetzt sofort'), base.toUpperCase(), base + ' 😱', base.replace(/ /g, '  ')];

const env = browserApp(async (t) => {
  const owner = await setupOwner(t.server);
  await addMember(t.server, owner, 'mod@example.org', 'moderator');
  const token = await createToken(t.server, owner);
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: [
    ...variants.map((text, k) => item(10 + k, { platform: k % 2 ? 'mastodon' : 'bluesky', platformId: `c-${k}`, threadId: `t-${k}`, author: { platformUserId: `fresh${k}`, handle: `@fresh${k}`, displayName: `Fresh ${k}` }, text, createdAt: new Date(Date.UTC(2026, 10, 3, 7, k * 5)).toISOString() })),
    item(30, { platformId: 'other', text: 'Wann wird die Brücke an der Hauptstraße wieder geöffnet?' }),
  ] });
  expect(res.statusCode, res.body).toBe(200);
  await drain(t.app);
});

describe('campaign view', () => {
  it('shows the campaign and holds all its items with one action', async () => {
    const { t } = env;
    const page = await signIn(env, 'mod@example.org', 'a long enough password');
    await page.getByTestId('nav-misinfo').click();
    await page.getByTestId('misinfo-tab-campaigns').click();
    const rows = page.getByTestId('misinfo-campaign-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    expect(await rows.first().textContent()).toContain('6 Beiträge · 6 Konten · bluesky, mastodon');
    await rows.first().getByRole('button').click();

    const view = page.getByTestId('campaign-view');
    await view.waitFor();
    expect(await page.getByTestId('campaign-items-count').textContent()).toBe('6');
    expect(await page.getByTestId('campaign-account').count()).toBe(6);
    expect(await page.getByTestId('campaign-item').count()).toBe(6);
    // Text is shown as text: the emoji variant arrives as written.
    expect(await page.getByTestId('campaign-item').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('😱')]));

    await page.getByTestId('campaign-action').selectOption('hold');
    await page.getByTestId('campaign-apply').click();
    await expect.poll(() => page.getByTestId('campaign-status').textContent()).toContain('6 geändert');
    await expect.poll(async () => (await t.app.db.query<{ n: number }>(`select count(*)::int as n from items where platform_id like 'c-%' and moderation = 'held'`))[0].n).toBe(6);
    await expect.poll(() => page.locator('[data-testid="campaign-item"][data-moderation="held"]').count()).toBe(6);
    const [other] = await t.app.db.query<{ moderation: string }>(`select moderation from items where platform_id = 'other'`);
    expect(other.moderation).toBe('visible');

    // The review queue shows why, with the campaign evidence as text.
    await page.getByTestId('nav-review').click();
    await expect.poll(() => page.getByTestId('review-item').count(), { timeout: 15_000 }).toBe(6);
    const evidence = page.getByTestId('misinfo-campaign');
    await expect.poll(() => evidence.count()).toBeGreaterThan(0);
    expect(await evidence.first().textContent()).toMatch(/Vermutete Kampagne: \d+ fast gleiche Beiträge von \d+ Konten/);
  });
});
