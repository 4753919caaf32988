// The misinformation page's sources and settings in a real browser: an admin adds a domain (a bad
// one first: the field error in German), imports a CSV, changes a category, deletes a domain after
// confirming, and saves thresholds (a bad one: the field named). Then a link wave held by a rule
// shows its evidence in the review queue.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner, createToken, drain, item } from '../helpers.js';

const env = browserApp(async (t) => {
  const owner = await setupOwner(t.server);
  const headers = { cookie: owner.cookie, 'x-csrf-token': owner.csrf, 'x-workspace': owner.workspace };
  const rules = await t.server.inject({ method: 'PUT', url: '/api/v1/moderation/rules', headers, payload: { source: 'rule "Welle"\n  when links.newAccounts >= 5\n  then hold\n  reason "Link-Welle"\n' } });
  expect(rules.statusCode, rules.body).toBe(200);
  const token = await createToken(t.server, owner);
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: [
    // The workspace has been watching for a month: accounts it first sees now count as new.
    item(9, { platformId: 'older', createdAt: new Date(Date.UTC(2026, 9, 1, 12)).toISOString() }),
    ...[0, 1, 2, 3, 4].map((k) => item(k, { platformId: `w-${k}`, threadId: `t-${k}`, author: { platformUserId: `new${k}`, handle: `@new${k}`, displayName: `New ${k}` },
      text: `Das verschweigen sie euch https://geheim.example/wahrheit?utm_source=${k}`, createdAt: new Date(Date.UTC(2026, 10, 3, 7, k * 5)).toISOString() }))] });
  expect(res.statusCode, res.body).toBe(200);
  await drain(t.app);
});

describe('misinformation sources and settings', () => {
  it('manages the domain list and the thresholds', async () => {
    const { t } = env;
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    await page.getByTestId('nav-misinfo').click();
    await page.getByTestId('misinfo-tab-sources').click();
    await page.getByText('Noch keine Domains gelistet.').waitFor();

    const add = page.getByTestId('domain-add');
    await add.getByLabel('Domain').fill('kein domain');
    await add.getByRole('button', { name: 'Domain hinzufügen' }).click();
    await expect.poll(() => add.locator('.field-error').textContent()).toBe('Das ist kein Domainname (z. B. beispiel.de oder ein Link dorthin).');
    await add.getByLabel('Domain').fill('https://news.luegenblatt.example/artikel');
    await add.getByLabel('Kategorie').selectOption('unreliable');
    await add.getByLabel('Notiz').fill('<b>erfindet Zitate</b>');
    await add.getByRole('button', { name: 'Domain hinzufügen' }).click();
    const rows = page.getByTestId('misinfo-domain-row');
    await expect.poll(() => rows.count()).toBe(1);
    // Reduced to the registrable domain; the note is text, not markup.
    expect(await rows.first().getAttribute('data-domain')).toBe('luegenblatt.example');
    expect(await rows.first().getByRole('textbox').inputValue()).toBe('<b>erfindet Zitate</b>');

    await page.getByTestId('domains-import').setInputFiles({ name: 'liste.csv', mimeType: 'text/csv', buffer: Buffer.from('domain,category,note\nsatire.example,satire,Postillon-Art\nstaat.example,state_affiliated,\n') });
    await expect.poll(() => page.getByTestId('domains-notice').textContent()).toBe('2 Domains importiert.');
    await expect.poll(() => rows.count()).toBe(3);

    await page.getByLabel('Kategorie satire.example').selectOption('spam');
    await expect.poll(async () => (await t.app.db.query<{ category: string }>(`select category from misinfo_domains where domain = 'satire.example'`))[0]?.category).toBe('spam');

    const staat = page.locator('[data-domain="staat.example"]');
    await staat.getByTestId('domain-delete').click();
    await staat.getByRole('button', { name: 'Abbrechen' }).click();
    expect(await rows.count()).toBe(3);
    await staat.getByTestId('domain-delete').click();
    await staat.getByTestId('domain-confirm-delete').click();
    await expect.poll(() => rows.count()).toBe(2);
    expect((await t.app.db.query(`select domain from misinfo_domains order by domain`)).map((r: any) => r.domain)).toEqual(['luegenblatt.example', 'satire.example']);

    // Settings: a bad number is named at its field, a good form is stored.
    const form = page.getByTestId('misinfo-settings');
    await form.locator('input[name="newAccountDays"]').fill('0');
    await form.getByRole('button', { name: 'Einstellungen speichern' }).click();
    await expect.poll(() => page.getByTestId('error-newAccountDays').textContent()).toMatch(/1/);
    expect(await page.getByTestId('error-newAccountDays').textContent()).not.toMatch(/Too small/);
    await form.locator('input[name="newAccountDays"]').fill('3');
    await form.locator('input[name="linkWaveMinAccounts"]').fill('8');
    await page.getByTestId('resolve-shorteners').check();
    await form.getByRole('button', { name: 'Einstellungen speichern' }).click();
    await expect.poll(() => page.getByTestId('settings-notice').textContent()).toBe('Einstellungen gespeichert.');
    const [s] = await t.app.db.query<any>(`select resolve_shorteners, new_account_days, link_wave_min_accounts, newcomer_window_minutes from misinfo_settings`);
    expect(s).toEqual({ resolve_shorteners: true, new_account_days: 3, link_wave_min_accounts: 8, newcomer_window_minutes: 60 });

    // The link wave planted before: held by the rule, with its evidence in the review queue.
    await page.getByTestId('nav-review').click();
    await expect.poll(() => page.getByTestId('review-item').count(), { timeout: 15_000 }).toBe(5);
    const wave = page.getByTestId('misinfo-link-wave');
    expect(await wave.first().textContent()).toContain('Link-Welle: 5 Konten haben diesen Link innerhalb von 24 Std. gepostet, 5 davon neu');
    expect(await wave.first().textContent()).toContain('geheim.example/wahrheit');
    expect(await wave.first().textContent()).toContain('@new0, @new1');
  });
});
