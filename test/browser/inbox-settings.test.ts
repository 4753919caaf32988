// Setting up the inbox in a real browser: a manager creates a round-robin team and a canned
// response on the settings page (a bad language code shows the server's field error next to the
// field); a conversation arriving afterwards is assigned to the team member, who finds the canned
// response in the composer. A moderator sees the page read-only.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner, addMember, as, drain, item, type Session } from '../helpers.js';

let owner: Session;
const env = browserApp(async (t) => {
  owner = await setupOwner(t.server);
  await addMember(t.server, owner, 'mod@example.org', 'moderator');
});

describe('inbox settings', () => {
  it('a manager sets up a team and a canned response; the next conversation is assigned and the response is usable', async () => {
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    await page.goto(`${env.url}/#/inboxSettings`);
    await page.getByTestId('inbox-settings-page').waitFor();
    expect(await page.getByTestId('settings-read-only').count()).toBe(0);

    await page.getByTestId('team-new').click();
    await page.getByTestId('team-name').fill('Bürgerdialog');
    await page.getByTestId('team-auto-assign').selectOption('round_robin');
    await page.locator('[data-testid="team-member"][data-name="mod"]').check();
    await page.locator('[data-testid="team-platform"][data-platform="mastodon"]').check();
    await page.getByTestId('team-save').click();
    await expect.poll(() => page.getByTestId('team').textContent()).toContain('reihum');
    const [team] = await env.t.app.db.query<any>(`select name, auto_assign, platforms from teams`);
    expect(team).toEqual({ name: 'Bürgerdialog', auto_assign: 'round_robin', platforms: ['mastodon'] });

    await page.getByTestId('canned-new').click();
    expect(await page.getByTestId('canned-variables').textContent()).toContain('{{platform}}');
    await page.getByTestId('canned-name').fill('Busfahrplan');
    await page.getByTestId('canned-language').fill('deutsch');
    await page.getByTestId('canned-body').fill('Hallo {{name}}, der neue Fahrplan gilt ab Montag. Grüße vom Team auf {{platform}}');
    await page.getByTestId('canned-save').click();
    // The server's complaint, next to the language field; nothing stored.
    await expect.poll(() => page.getByTestId('field-error-language').textContent()).toContain('two-letter language code');
    expect((await env.t.app.db.query<any>(`select count(*)::int as n from canned_responses`))[0].n).toBe(0);
    await page.getByTestId('canned-language').fill('de');
    await page.getByTestId('canned-save').click();
    await expect.poll(() => page.getByTestId('canned').count()).toBe(1);

    // Business hours: a time zone the server does not know is named next to its field.
    await page.getByTestId('hours-time-zone').fill('Europe/Nordstadt');
    await page.getByTestId('hours-save').click();
    await expect.poll(() => page.getByTestId('field-error-timeZone').textContent()).toContain('IANA');
    await page.getByTestId('hours-time-zone').fill('Europe/Berlin');
    await page.getByTestId('hours-sat').fill('10:00-14:00');
    await page.getByTestId('hours-save').click();
    await expect.poll(async () => (await env.t.server.inject({ method: 'GET', url: '/api/v1/sla/calendar', headers: as(owner) })).json().hours.sat)
      .toEqual([{ start: '10:00', end: '14:00' }]);

    // A label is added, and deleted again once the dialog is confirmed.
    await page.getByTestId('label-name').fill('Baustelle');
    await page.getByTestId('label-save').click();
    await expect.poll(() => page.getByTestId('label').count()).toBe(1);
    page.once('dialog', (d) => void d.accept());
    await page.getByTestId('label-delete').click();
    await expect.poll(() => page.getByTestId('label').count()).toBe(0);
    expect((await env.t.server.inject({ method: 'GET', url: '/api/v1/inbox/labels', headers: as(owner) })).json().labels).toEqual([]);

    // An SLA policy without any target is refused with the field named; with one it is saved.
    await page.getByTestId('policy-add').click();
    await page.getByTestId('policy-name').fill('Alle');
    await page.getByTestId('policy-firstResponseMinutes').fill('');
    await page.getByTestId('policies-save').click();
    await expect.poll(() => page.getByTestId('field-error-policies.0.firstResponseMinutes').textContent()).toContain('at least one target');
    await page.getByTestId('policy-firstResponseMinutes').fill('120');
    await page.getByTestId('policies-save').click();
    await expect.poll(async () => (await env.t.server.inject({ method: 'GET', url: '/api/v1/sla/policies', headers: as(owner) })).json().policies.map((p: any) => [p.name, p.firstResponseMinutes]))
      .toEqual([['Alle', 120]]);
    await page.context().close();

    const res = await env.t.server.inject({ method: 'POST', url: '/api/v1/items', headers: as(owner), payload: [item(1, { createdAt: new Date().toISOString() })] });
    expect(res.statusCode, res.body).toBe(200);
    await drain(env.t.app);
    await expect.poll(async () => (await env.t.app.db.query<any>(
      `select u.email from conversations c left join users u on u.id = c.assignee_user_id`))[0]?.email, { timeout: 15_000 }).toBe('mod@example.org');

    const mod = await signIn(env, 'mod@example.org', 'a long enough password');
    await mod.goto(`${env.url}/#/inbox`);
    const rows = mod.getByTestId('conversation-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(1);
    await rows.first().click();
    await expect.poll(() => mod.getByTestId('assignee').textContent()).toBe('zugewiesen an mod');
    await mod.getByTestId('canned-search').fill('Fahrplan');
    await mod.getByTestId('canned-option').first().click();
    await expect.poll(() => mod.getByTestId('reply-text').inputValue()).toBe('Hallo Leser 1, der neue Fahrplan gilt ab Montag. Grüße vom Team auf Mastodon');

    // A moderator may look, not change.
    await mod.goto(`${env.url}/#/inboxSettings`);
    await mod.getByTestId('settings-read-only').waitFor();
    await expect.poll(() => mod.getByTestId('team').count()).toBe(1);
    expect(await mod.getByTestId('team-new').count()).toBe(0);
    expect(await mod.getByTestId('member-available').isDisabled()).toBe(true);
    await mod.context().close();
  });
});
