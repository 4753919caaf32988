// The SLA clock through the API with the server's clock injected: policy matching (platform,
// label; first match wins), due times in business hours across a weekend, the countdown, the
// "due soon" and "breached" lists, and a breach recorded exactly once when the clock passes it.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, as, item, type TestEnv, type Session, waitFor } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let mia: Session;
let clock = new Date('2026-11-23T09:00:00Z');

const get = (url: string, who = owner) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(who) });
const put = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'PUT', url: `/api/v1${url}`, headers: as(who), payload: payload as any });
const post = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload: payload as any });
async function send(rows: unknown[]) {
  const res = await post('/items', rows);
  expect(res.statusCode, res.body).toBe(200);
}
const slaOf = async (id: number) => (await get(`/sla/conversations/${id}`)).json();
const alerts = async () => (await get('/sla/alerts')).json().alerts as any[];
const team = { handle: '@stadtwerke@social.example', displayName: 'Stadtwerke' };

beforeAll(async () => {
  t = await startTestApp();
  t.app.clock.now = () => clock;
  owner = await setupOwner(t.server);
  mia = await addMember(t.server, owner, 'mia@example.org', 'moderator');
  expect((await put('/sla/calendar', { timeZone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])) })).statusCode).toBe(200);
  const res = await put('/sla/policies', { policies: [
    { name: 'VIP', labels: ['vip'], firstResponseMinutes: 10, businessHours: false },
    { name: 'Facebook', platforms: ['facebook'], firstResponseMinutes: 15, businessHours: false },
    { name: 'Alle', firstResponseMinutes: 60, nextResponseMinutes: 30, businessHours: true },
  ] });
  expect(res.statusCode, res.body).toBe(200);
});
afterAll(async () => { await t?.close(); });

describe('the SLA clock', () => {
  let conv: number;

  it('computes the first-response due time in business hours across the weekend', async () => {
    // Friday 16:45: 15 business minutes left that day, the other 45 on Monday → due Monday 09:45.
    await send([item(1, { platformId: 'd-1', threadId: 'd', text: 'Wann wird mein Zähler getauscht?', createdAt: '2026-11-20T16:45:00Z' })]);
    conv = await waitFor('the conversation', async () => (await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = 'd-1'`))[0]?.conversation_id);
    const sla = await waitFor('the due time', async () => { const s = await slaOf(conv); return s.due.length && s; });
    expect(sla.policy.name).toBe('Alle');
    expect(sla.due[0]).toEqual({ kind: 'first_response', at: '2026-11-23T09:45:00.000Z', breached: false, secondsLeft: 2700 });
    const soon = await waitFor('the due-soon list', async () => { const c = (await get('/sla/conversations?state=due_soon')).json().conversations; return c.length > 0 ? c : null; });
    expect(soon.map((c: any) => [c.id, c.dueKind])).toEqual([[conv, 'first_response']]);
    expect((await get('/inbox/conversations?sla=due_soon')).json().conversations.map((c: any) => c.id)).toEqual([conv]);
    expect((await get('/sla/conversations?state=breached')).json().conversations).toEqual([]);
    expect(await alerts()).toEqual([]);
  });

  it('records the breach once when the clock passes the due time', async () => {
    clock = new Date('2026-11-23T09:46:00Z');
    const [alert] = await waitFor('the alert', async () => { const a = await alerts(); return a.length > 0 ? a : null; });
    expect(alert).toMatchObject({ conversationId: conv, kind: 'first_response', dueAt: '2026-11-23T09:45:00.000Z', policy: 'Alle', seen: false });
    expect((await get('/sla/conversations?state=breached')).json().conversations.map((c: any) => c.id)).toEqual([conv]);
    // The inbox list filters on it with the same clock.
    expect((await get('/inbox/conversations?sla=breached')).json().conversations.map((c: any) => c.id)).toEqual([conv]);
    expect((await get('/inbox/conversations?sla=due_soon')).json().conversations).toEqual([]);
    expect((await slaOf(conv)).due[0]).toMatchObject({ breached: true, secondsLeft: -60 });
    // More rounds of the sweep (one a second) record nothing more.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await alerts()).toHaveLength(1);
    const events = await t.app.db.query(`select type from events where conversation_id = $1 and type = 'sla.breached'`, [conv]);
    expect(events).toHaveLength(1);
    // Seen by Mia, not by the owner.
    expect((await post('/sla/alerts/seen', { ids: [alert.id] }, mia)).statusCode).toBe(200);
    expect((await get('/sla/alerts', mia)).json()).toMatchObject({ unseen: 0 });
    expect((await get('/sla/alerts')).json()).toMatchObject({ unseen: 1 });
  });

  it('moves on to the next response after the team answers and the member writes again', async () => {
    const [conn] = (await get('/connections')).json().connections;
    expect((await put(`/inbox/connections/${conn.id}/own-accounts`, { accounts: [team.handle] })).statusCode).toBe(200);
    await send([
      item(2, { platformId: 'd-2', threadId: 'd', author: team, text: 'Nächste Woche Dienstag.', createdAt: '2026-11-23T09:50:00Z' }),
      item(3, { platformId: 'd-3', threadId: 'd', text: 'Vormittags oder nachmittags?', createdAt: '2026-11-23T10:00:00Z' }),
    ]);
    clock = new Date('2026-11-23T10:05:00Z');
    const sla = await waitFor('the next-response due time', async () => { const s = await slaOf(conv); return s.due[0]?.kind === 'next_response' && s; });
    expect(sla.due[0]).toMatchObject({ at: '2026-11-23T10:30:00.000Z', breached: false, secondsLeft: 1500 });
    clock = new Date('2026-11-23T10:31:00Z');
    const all = await waitFor('the second alert', async () => { const a = await alerts(); return a.length === 2 && a; });
    expect(all.map((a) => a.kind)).toEqual(['next_response', 'first_response']);
  });

  it('matches policies by label and platform, first match wins', async () => {
    // A label puts the conversation under "VIP" (listed first): 10 minutes from the first inbound item, wall clock.
    expect((await post(`/inbox/conversations/${conv}/labels`, { add: ['vip'] })).statusCode).toBe(200);
    const sla = await waitFor('the VIP policy', async () => { const s = await slaOf(conv); return s.policy?.name === 'VIP' && s; });
    // The team has answered: no first response is due any more, and VIP sets no other target.
    expect(sla.due).toEqual([]);
    await send([item(10, { platform: 'facebook', platformId: 'f-1', threadId: 'f', text: 'Hallo? Ist da wer?', createdAt: '2026-11-23T10:25:00Z' })]);
    const fb = await waitFor('the facebook conversation', async () => (await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = 'f-1'`))[0]?.conversation_id);
    const fsla = await waitFor('the facebook due time', async () => { const s = await slaOf(fb); return s.due.length && s; });
    expect(fsla.policy.name).toBe('Facebook');
    expect(fsla.due[0]).toMatchObject({ kind: 'first_response', at: '2026-11-23T10:40:00.000Z' });
  });

  it('a policy change takes effect on open conversations', async () => {
    const fb = (await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = 'f-1'`))[0].conversation_id;
    expect((await put('/sla/policies', { policies: [{ name: 'Facebook', platforms: ['facebook'], firstResponseMinutes: 5, businessHours: false }] })).statusCode).toBe(200);
    const sla = await waitFor('the new due time', async () => { const s = await slaOf(fb); return s.due[0]?.at === '2026-11-23T10:30:00.000Z' && s; });
    expect(sla.due[0].breached).toBe(true);
    await waitFor('the facebook alert', async () => (await alerts()).some((a) => a.conversationId === fb && a.kind === 'first_response'));
    // The listed conversation carries its due time too (for the inbox filter).
    const [row] = await t.app.db.query<any>(`select sla_due_at, sla_due_kind from conversations where id = $1`, [fb]);
    expect(row.sla_due_kind).toBe('first_response');
  });
});
