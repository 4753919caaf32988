// Keyboard triage in a real browser: held items arrive blurred, space reveals, j/k move, h hides
// (and the platform is told), a approves, u undoes — without touching the mouse.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner, addMember, createToken, drain, item } from '../helpers.js';

const env = browserApp(async (t) => {
  const owner = await setupOwner(t.server);
  await addMember(t.server, owner, 'mod@example.org', 'moderator');
  const token = await createToken(t.server, owner);
  // The starting rules hold insults and threats for review.
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: [
    item(1, { text: 'Du bist ein Vollidiot, halt die Fresse.' }),
    item(2, { text: 'Ich bring dich um, du Idiot.' }),
    item(3, { text: 'Danke für die schnelle Antwort!' }),
  ] });
  expect(res.statusCode).toBe(200);
  await drain(t.app);
});

describe('review queue', () => {
  it('triages by keyboard with toxic text blurred until revealed', async () => {
    const { t } = env;
    const page = await signIn(env, 'mod@example.org', 'a long enough password');
    await page.getByTestId('nav-review').click();

    const items = page.getByTestId('review-item');
    await expect.poll(() => items.count(), { timeout: 15_000 }).toBe(2);
    const first = items.first();
    expect(await first.getAttribute('data-focused')).toBe('true');
    const text = first.getByTestId('review-text');
    expect(await text.getAttribute('data-blurred')).toBe('true');
    expect(await text.evaluate((el) => getComputedStyle(el).filter)).toMatch(/blur/);
    expect(await page.getByTestId('review-seen-today').textContent()).toMatch(/2/);

    await page.keyboard.press(' ');
    await expect.poll(() => text.getAttribute('data-blurred')).toBe('false');
    expect(await text.textContent()).toBe('Du bist ein Vollidiot, halt die Fresse.');

    await page.keyboard.press('j');
    await expect.poll(() => items.nth(1).getAttribute('data-focused')).toBe('true');
    await page.keyboard.press('k');
    await expect.poll(() => items.first().getAttribute('data-focused')).toBe('true');

    // h hides the focused item: it leaves the queue and is hidden in the store.
    await page.keyboard.press('h');
    await expect.poll(() => items.count()).toBe(1);
    // The page takes the item out at once; the server's answer follows.
    await expect.poll(async () => (await t.app.db.query<any>(`select moderation from items where platform_id = 'status-1'`))[0].moderation).toBe('hidden');
    // The reason category came from the item's own signals (an insult from the word list): the model learns it.
    await expect.poll(async () => (await t.app.db.query<any>(`select data->>'category' as c from events where type = 'moderation' and actor like 'person:%' order by id desc limit 1`))[0]?.c).toBe('insult');
    await expect.poll(() => page.getByTestId('review-status').textContent()).toMatch(/\S/);

    // u undoes it; a approves the other one.
    await page.keyboard.press('u');
    await expect.poll(async () => (await t.app.db.query<any>(`select moderation from items where platform_id = 'status-1'`))[0].moderation).toBe('visible');
    const remaining = page.locator('[data-testid="review-item"]:not(:has([data-testid="review-restored"]))');
    await remaining.first().click({ position: { x: 5, y: 5 } });
    await page.keyboard.press('a');
    await expect.poll(async () => (await t.app.db.query<any>(`select moderation from items where platform_id = 'status-2'`))[0].moderation).toBe('visible');

    const audit = await t.app.db.query<any>(`select data->>'actorKind' as kind, data->>'after' as after from events where type = 'moderation' and actor like 'person:%' order by id`);
    expect(audit.map((a) => a.after)).toEqual(['hidden', 'visible', 'visible']);
  });

  it('shows managers how many harmful items each person saw per day', async () => {
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    await page.getByTestId('nav-wellbeing').click();
    const person = page.getByTestId('wellbeing-person');
    await person.first().waitFor({ timeout: 15_000 });
    expect(await person.count()).toBe(1);
    expect(await person.first().textContent()).toMatch(/^mod/);
    expect(await person.first().getByTestId('wellbeing-total').textContent()).toBe('2');

    // A moderator is not a manager: the page says so instead of showing the team's figures.
    const mod = await signIn(env, 'mod@example.org', 'a long enough password');
    await mod.getByTestId('nav-wellbeing').click();
    await mod.getByTestId('wellbeing-forbidden').waitFor();
  });
});
