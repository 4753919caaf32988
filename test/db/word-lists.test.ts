// The workspace's word lists through the API: save with entries and allow entries, matching uses
// them at once, errors name the line, 100,000 entries are fine, an oversized text gets an error
// naming the limit, delete removes a list, and only managers may change lists.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, createToken, as, drain, item, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let token: string;
const put = (name: string, source: string, who: Session = owner) =>
  t.server.inject({ method: 'PUT', url: `/api/v1/moderation/word-lists/${name}`, headers: as(who), payload: { source } });

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  token = await createToken(t.server, owner);
});
afterAll(async () => { await t?.close(); });

async function wordSignals(n: number, text: string) {
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: [item(n, { text })] });
  expect(res.statusCode).toBe(200);
  await drain(t.app);
  return t.app.db.query<{ label: string; source: string }>(
    `select s.label, s.source from signals s join items i on i.id = s.item_id where i.platform_id = $1 and s.kind = 'words'`, [`status-${n}`]);
}

describe('word lists', () => {
  it('saves a list with an allow entry and matches with it at once', async () => {
    const r = await put('lokal', 'insult part schwurbelkopp\nspam word gewinnspielkönig\nallow word schwurbelkoppel\n');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ ok: true, entries: 2, allowed: 1 });
    expect((await wordSignals(1, 'Du Schwurbelkopp, echt jetzt.')).map((s) => `${s.source}:${s.label}`)).toContain('wordlist:lokal:insult');
    expect((await wordSignals(2, 'Die Schwurbelkoppel am Deich ist gesperrt.')).filter((s) => s.source === 'wordlist:lokal')).toEqual([]);
    const list = (await t.server.inject({ method: 'GET', url: '/api/v1/moderation/word-lists', headers: as(owner) })).json();
    expect(list.lists).toEqual([expect.objectContaining({ name: 'lokal', entries: 2, allowed: 1 })]);
    expect(list.maxChars).toBe(10_000_000);
  });

  it('refuses a list with errors, naming every line, and keeps the saved one', async () => {
    const r = await put('lokal', 'insult part ok-wort\nbeleidigung part foo\nthreat\n');
    expect(r.statusCode).toBe(400);
    const body = r.json();
    expect(body.error.code).toBe('invalid_word_list');
    expect(body.error.details.errors.map((e: any) => e.line)).toEqual([2, 3]);
    expect(body.error.message).toMatch(/line 2.*unknown category "beleidigung"/);
    // Each problem has a code and the German text beside the English (the editor shows the reader's language).
    expect(body.error.details.errors.map((e: any) => [e.code, e.messageDe])).toEqual([
      ['unknown_category', expect.stringMatching(/^unbekannte Kategorie „beleidigung“; erwartet: .*insult.* oder allow$/)],
      ['no_term', 'kein Begriff nach „threat“'],
    ]);
    // Notes on a list that saves come in both languages too.
    const noted = await put('notiz', 'insult part schwurbelkopp\ninsult part Schwurbelkopp\n');
    expect(noted.statusCode, noted.body).toBe(200);
    expect(noted.json().warningDetails).toEqual([expect.objectContaining({ line: 2, code: 'duplicate', messageDe: expect.stringMatching(/^doppelt \(wie Zeile 1/) })]);
    await t.server.inject({ method: 'DELETE', url: '/api/v1/moderation/word-lists/notiz', headers: as(owner) });
    const [row] = await t.app.db.query<{ source: string }>(`select source from word_lists where name = 'lokal'`);
    expect(row.source).toMatch(/schwurbelkopp/);
  });

  it('takes 100,000 entries, and refuses a text over the limit with an error naming it', async () => {
    const lines = Array.from({ length: 100_000 }, (_, i) => `insult part wortzz${i.toString(36)}x`);
    const started = Date.now();
    const big = await put('gross', lines.join('\n'));
    expect(big.statusCode, big.body.slice(0, 500)).toBe(200);
    expect(big.json().entries).toBe(100_000);
    expect(Date.now() - started).toBeLessThan(30_000);

    const huge = await put('riesig', 'insult part ' + 'x'.repeat(10_000_001));
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toMatch(/source/);
    expect(huge.body).toMatch(/at most 10,000,000/);
    expect(await t.app.db.query(`select 1 from word_lists where name = 'riesig'`)).toEqual([]);
  });

  it('lets only managers change lists, and deletes one', async () => {
    const mod = await addMember(t.server, owner, 'mod@example.org', 'moderator');
    expect((await put('lokal', 'insult part x-y-z', mod)).statusCode).toBe(403);
    expect((await t.server.inject({ method: 'DELETE', url: '/api/v1/moderation/word-lists/lokal', headers: as(mod) })).statusCode).toBe(403);
    expect((await t.server.inject({ method: 'DELETE', url: '/api/v1/moderation/word-lists/lokal', headers: as(owner) })).statusCode).toBe(200);
    expect((await t.server.inject({ method: 'DELETE', url: '/api/v1/moderation/word-lists/lokal', headers: as(owner) })).statusCode).toBe(404);
    expect((await wordSignals(3, 'Du Schwurbelkopp, schon wieder.')).filter((s) => s.source === 'wordlist:lokal')).toEqual([]);
  });
});
