// SLA settings and "needs an answer" through the API: business hours, policies (validation,
// roles, order), the detector's signal with its reason, and the team's correction.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, createToken, drain, item, as, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let analyst: Session;
let mod: Session;
let token: string;
beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  analyst = await addMember(t.server, owner, 'ana@example.org', 'analyst');
  mod = await addMember(t.server, owner, 'mod@example.org', 'moderator');
  token = await createToken(t.server, owner);
});
afterAll(async () => { await t?.close(); });

const policy = { name: 'Facebook schnell', platforms: ['facebook'], firstResponseMinutes: 60, nextResponseMinutes: 120, resolutionMinutes: 2880, businessHours: true };

describe('business hours', () => {
  it('start as Monday to Friday 09:00–17:00 in Berlin and are set by a manager', async () => {
    const got = await t.server.inject({ method: 'GET', url: '/api/v1/sla/calendar', headers: as(analyst) });
    expect(got.json().timeZone).toBe('Europe/Berlin');
    expect(got.json().hours.mon).toEqual([{ start: '09:00', end: '17:00' }]);
    const body = { timeZone: 'Europe/Vienna', hours: { mon: [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '16:00' }] }, holidays: [{ date: '2026-12-24', name: 'Heiligabend' }] };
    expect((await t.server.inject({ method: 'PUT', url: '/api/v1/sla/calendar', headers: as(analyst), payload: body })).statusCode).toBe(403);
    const put = await t.server.inject({ method: 'PUT', url: '/api/v1/sla/calendar', headers: as(owner), payload: body });
    expect(put.statusCode).toBe(200);
    expect(put.json().hours.tue).toEqual([]);
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/sla/calendar', headers: as(analyst) })).json().holidays).toEqual([{ date: '2026-12-24', name: 'Heiligabend' }]);
  });

  it('refuses a bad calendar naming the field, keeping the stored one', async () => {
    const res = await t.server.inject({ method: 'PUT', url: '/api/v1/sla/calendar', headers: as(owner), payload: { timeZone: 'Europe/Atlantis', hours: { fri: [{ start: '25:00', end: '17:00' }] } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/timeZone/);
    expect(res.json().error.message).toMatch(/hours\.fri\.0\.start/);
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/sla/calendar', headers: as(owner) })).json().timeZone).toBe('Europe/Vienna');
  });
});

describe('policies', () => {
  it('are replaced as an ordered list by a manager and read by everyone', async () => {
    const res = await t.server.inject({ method: 'PUT', url: '/api/v1/sla/policies', headers: as(owner), payload: { policies: [policy, { name: 'Alle', firstResponseMinutes: 240, businessHours: false }] } });
    expect(res.statusCode).toBe(200);
    expect(res.json().policies.map((p: any) => [p.name, p.position])).toEqual([['Facebook schnell', 0], ['Alle', 1]]);
    expect((await t.server.inject({ method: 'PUT', url: '/api/v1/sla/policies', headers: as(mod), payload: { policies: [] } })).statusCode).toBe(403);
    const read = await t.server.inject({ method: 'GET', url: '/api/v1/sla/policies', headers: as(analyst) });
    expect(read.json().policies[1]).toMatchObject({ name: 'Alle', firstResponseMinutes: 240, nextResponseMinutes: null, businessHours: false, platforms: [] });
  });

  it('refuse bad input with the field named', async () => {
    const bad = await t.server.inject({ method: 'PUT', url: '/api/v1/sla/policies', headers: as(owner), payload: { policies: [{ name: 'x', platforms: ['myspace'], firstResponseMinutes: -5 }] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/policies\.0\.platforms\.0/);
    expect(bad.json().error.message).toMatch(/policies\.0\.firstResponseMinutes/);
    const none = await t.server.inject({ method: 'PUT', url: '/api/v1/sla/policies', headers: as(owner), payload: { policies: [{ name: 'leer' }] } });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/at least one target/);
    const twice = await t.server.inject({ method: 'PUT', url: '/api/v1/sla/policies', headers: as(owner), payload: { policies: [policy, policy] } });
    expect(twice.statusCode).toBe(400);
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/sla/policies', headers: as(owner) })).json().policies).toHaveLength(2);
  });
});

describe('needs an answer', () => {
  it('is detected in the pipeline with its reason and corrected by the team', async () => {
    const texts = ['Wann fährt die Linie 5 wieder?', 'Danke euch, super Arbeit! 👍', 'My bill was charged twice, this is unacceptable', 'Bitte ruft mich zurück', 'thanks!'];
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: texts.map((text, n) => item(n + 1, { text })) });
    expect(res.statusCode).toBe(200);
    await drain(t.app);
    const ids = (await t.app.db.query<{ id: number }>(`select id from items order by id`)).map((r) => r.id);
    const got = await Promise.all(ids.map(async (id) => (await t.server.inject({ method: 'GET', url: `/api/v1/items/${id}/needs-answer`, headers: as(analyst) })).json()));
    expect(got.map((g) => [g.needsAnswer, g.detected.reason])).toEqual([[true, 'question'], [false, 'thanks'], [true, 'complaint'], [true, 'request'], [false, 'thanks']]);
    expect(got[0].detected.matched).toBe('Wann fährt die Linie 5 wieder?');

    expect((await t.server.inject({ method: 'PUT', url: `/api/v1/items/${ids[1]}/needs-answer`, headers: as(analyst), payload: { needsAnswer: true } })).statusCode).toBe(403);
    const fixed = await t.server.inject({ method: 'PUT', url: `/api/v1/items/${ids[1]}/needs-answer`, headers: as(mod), payload: { needsAnswer: true } });
    expect(fixed.statusCode).toBe(200);
    expect(fixed.json()).toMatchObject({ needsAnswer: true, detected: { needsAnswer: false }, correction: { needsAnswer: true, by: 'mod' } });
    const [ev] = await t.app.db.query<any>(`select type, data from events where item_id = $1 and type = 'needs_answer.corrected'`, [ids[1]]);
    expect(ev.data).toEqual({ needsAnswer: true });
    const undone = await t.server.inject({ method: 'PUT', url: `/api/v1/items/${ids[1]}/needs-answer`, headers: as(mod), payload: { needsAnswer: null } });
    expect(undone.json()).toMatchObject({ needsAnswer: false, correction: null });
    expect((await t.server.inject({ method: 'PUT', url: `/api/v1/items/${ids[1]}/needs-answer`, headers: as(mod), payload: { needsAnswer: 'ja' } })).json().error.message).toMatch(/needsAnswer/);
  });

  it('learns from the team: after enough corrections its model decides where it is sure, and says so', async () => {
    const rows = [];
    for (let n = 0; n < 10; n++) {
      rows.push(item(100 + n, { text: `Was für ein schöner Abend am See, Nummer ${n}` }));
      rows.push(item(200 + n, { text: `Zählerstand ${4000 + n} für Zähler ${n} übermittelt` }));
    }
    expect((await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: rows })).statusCode).toBe(200);
    await drain(t.app);
    const items = await t.app.db.query<{ id: number; platform_id: string }>(`select id, platform_id from items where platform_id ~ '^status-[12][0-9][0-9]$'`);
    for (const it of items) {
      const needsAnswer = it.platform_id.startsWith('status-2');
      expect((await t.server.inject({ method: 'PUT', url: `/api/v1/items/${it.id}/needs-answer`, headers: as(mod), payload: { needsAnswer } })).statusCode).toBe(200);
    }
    await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: [
      item(300, { text: 'Was für ein schöner Abend am See heute' }),
      item(301, { text: 'Zählerstand 4711 für Zähler 12 übermittelt' }),
      item(302, { text: 'Wann kommt der Techniker?' }),
    ] });
    await drain(t.app);
    const get = async (pid: string) => {
      const [{ id }] = await t.app.db.query<{ id: number }>(`select id from items where platform_id = $1`, [pid]);
      return (await t.server.inject({ method: 'GET', url: `/api/v1/items/${id}/needs-answer`, headers: as(analyst) })).json();
    };
    expect(await get('status-300')).toMatchObject({ needsAnswer: false, detected: { reason: 'model', source: 'needs-answer:model@20' } });
    expect(await get('status-301')).toMatchObject({ needsAnswer: true, detected: { reason: 'model' } });
    expect(await get('status-302')).toMatchObject({ needsAnswer: true, detected: { reason: 'question' } });
  });
});
