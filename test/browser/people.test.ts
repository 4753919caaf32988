// The people pages in a real browser, in German: a suggested link (same e-mail, not verified) is
// merged in one click and split again on the person page; keep in touch lists a newcomer whose
// first post got no answer, with a hostile name shown as text, a note in one click, and "reply in
// context" opening the inbox conversation.
import { describe, it, expect } from 'vitest';
import { browserApp, signIn } from './harness.js';
import { setupOwner, createToken } from '../helpers.js';
import { linkIdentities } from '../../src/people/link.js';

const HOSTILE = '<img src=x onerror="window.pwned=1">Neu Ling';
const env = browserApp(async (t) => {
  const token = await createToken(t.server, await setupOwner(t.server));
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  const res = await t.server.inject({
    method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify([
      { platform: 'email', platformId: '<p1@example.org>', kind: 'email', author: { platformUserId: 'peter@example.org', displayName: 'Peter Lange' }, text: 'Wann kommt der Nachtbus?', createdAt: yesterday },
      { platform: 'forum', platformId: 'f-1', author: { platformUserId: 'f-23', handle: 'plange', displayName: 'P. Lange' }, text: 'Nachtbus bitte!', createdAt: yesterday,
        raw: { user: { email: 'peter@example.org', email_verified: true } } },
      { platform: 'mastodon', platformId: 'm-1', threadId: 'neu-1', author: { platformUserId: '999', handle: '@neuling@social.example', displayName: HOSTILE }, text: 'Hallo, ich bin neu hier. Wo melde ich einen kaputten Automaten?', createdAt: yesterday },
    ]),
  });
  if (res.statusCode !== 200) throw new Error(res.body);
  const [{ id }] = await t.app.db.query<{ id: string }>(`select id from workspaces`);
  await linkIdentities(t.app.db, id);
});

describe('people', () => {
  it('merges a suggested link in one click and splits it again', async () => {
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    page.on('dialog', (d) => void d.accept());
    await page.getByTestId('nav-people').click();
    await page.getByTestId('people-tab-suggestions').click();
    const suggestion = page.getByTestId('suggestion');
    await expect.poll(() => suggestion.textContent()).toContain('gleiche E-Mail-Adresse (nicht bestätigt): peter@example.org');
    await page.getByTestId('suggestion-merge').click();
    await page.getByTestId('person').waitFor();
    await expect.poll(() => page.getByTestId('person-identity').count()).toBe(2);
    expect((await page.getByTestId('person-identities').textContent())).toMatch(/E-Mail.*Forum|Forum.*E-Mail/s);
    await expect.poll(() => page.getByTestId('person-merge').textContent()).toContain('gleiche E-Mail-Adresse (nicht bestätigt)');
    await page.getByTestId('person-split').click();
    await expect.poll(() => page.getByTestId('person-identity').count()).toBe(1);
    await expect.poll(() => page.getByTestId('person-merge').textContent()).toContain('wieder getrennt');
    const [{ n }] = await env.t.app.db.query<{ n: number }>(`select count(*)::int as n from events where type in ('person.merged', 'person.split')`);
    expect(n).toBe(2);
    await page.close();
  });

  it('lists a newcomer without answer, takes a note and opens the conversation to reply in context', async () => {
    const page = await signIn(env, 'owner@example.org', 'correct horse battery');
    await page.goto(`${env.url}#/people`);
    const row = page.locator('[data-testid="keep-row"][data-reason="newcomer"]').filter({ hasText: 'Neu Ling' });
    await row.waitFor();
    // The hostile name is text: the markup shows as characters, no element was made from it.
    expect(await row.getByTestId('keep-person').textContent()).toBe(HOSTILE);
    expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
    expect(await row.textContent()).toContain('Neu und ohne Antwort');
    await row.getByTestId('keep-note').click();
    await row.getByTestId('keep-note-text').fill('Begrüßen und auf die Störungsmeldung verweisen.');
    await row.getByTestId('keep-note-save').click();
    await expect.poll(() => page.getByTestId('people-notice').textContent()).toBe('Notiz gespeichert.');
    const [note] = await env.t.app.db.query<any>(`select n.text from person_notes n join identities d on d.person_id = n.person_id where d.platform_user_id = '999'`);
    expect(note.text).toBe('Begrüßen und auf die Störungsmeldung verweisen.');
    await row.getByTestId('keep-reply').click();
    await page.getByTestId('conversation').waitFor();
    await expect.poll(() => page.getByTestId('thread-item').first().textContent()).toContain('Wo melde ich einen kaputten Automaten?');
    await page.close();
  });
});
