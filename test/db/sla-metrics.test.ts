// Inbox figures through the API for a small fixture whose figures are computed by hand below:
// first/next response and resolution times (wall clock and business hours), response rate at all
// and within the SLA, volume by hour and weekday, breakdown by platform, the CSV export, and a
// "needs an answer" correction changing the response rate.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, as, item, drain, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let mia: Session;

const get = (url: string, who = owner) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(who) });
const put = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'PUT', url: `/api/v1${url}`, headers: as(who), payload: payload as any });
const post = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload: payload as any });
const team = { handle: '@stadtwerke@social.example', displayName: 'Stadtwerke' };
const fbTeam = { platformUserId: 'page-1', handle: 'Stadtwerke Nord', displayName: 'Stadtwerke Nord' };
const PERIOD = 'from=2026-11-20T00:00:00Z&to=2026-11-24T00:00:00Z';
const itemId = async (platformId: string) => (await t.app.db.query<{ id: number }>(`select id from items where platform_id = $1`, [platformId]))[0].id;
const convOf = async (platformId: string) => (await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = $1`, [platformId]))[0].conversation_id;

// The fixture (all UTC; business hours Monday to Friday 09:00–17:00 UTC):
// A (mastodon): a1 in Mon 10:00 "question" · a2 out 10:30 · a3 in 11:00 "question" · a4 out 13:00 · a5 in 13:10 "thanks"
// B (facebook): b1 in Fri 20 Nov 16:30 "complaint" · b2 out Mon 09:30 · then set to done
// C (mastodon): c1 in Mon 12:00 "praise" · c2 in Mon 12:05 "request", no answer
const fixture = [
  item(1, { platformId: 'a1', threadId: 'A', text: 'Wann fährt der Bus nach Nordstadt?', createdAt: '2026-11-23T10:00:00Z' }),
  item(2, { platformId: 'a2', threadId: 'A', author: team, text: 'Ab 8 Uhr alle 20 Minuten.', createdAt: '2026-11-23T10:30:00Z' }),
  item(3, { platformId: 'a3', threadId: 'A', text: 'Und am Sonntag?', createdAt: '2026-11-23T11:00:00Z' }),
  item(4, { platformId: 'a4', threadId: 'A', author: team, text: 'Sonntags stündlich.', createdAt: '2026-11-23T13:00:00Z' }),
  item(5, { platformId: 'a5', threadId: 'A', text: 'Danke!', createdAt: '2026-11-23T13:10:00Z' }),
  item(6, { platform: 'facebook', platformId: 'b1', threadId: 'B', text: 'Mein Strom ist schon wieder ausgefallen.', createdAt: '2026-11-20T16:30:00Z' }),
  item(7, { platform: 'facebook', platformId: 'b2', threadId: 'B', author: fbTeam, text: 'Das tut uns leid, der Techniker ist unterwegs.', createdAt: '2026-11-23T09:30:00Z' }),
  item(8, { platformId: 'c1', threadId: 'C', text: 'Toller Artikel über den Hafen.', createdAt: '2026-11-23T12:00:00Z' }),
  item(9, { platformId: 'c2', threadId: 'C', text: 'Könnt ihr mir den Link zum Fahrplan schicken', createdAt: '2026-11-23T12:05:00Z' }),
];

let doneAt: Date;
beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  mia = await addMember(t.server, owner, 'mia@example.org', 'moderator');
  expect((await put('/sla/calendar', { timeZone: 'UTC', hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [{ start: '09:00', end: '17:00' }]])) })).statusCode).toBe(200);
  expect((await put('/sla/policies', { policies: [
    { name: 'Facebook', platforms: ['facebook'], firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480, businessHours: true },
    { name: 'Alle', firstResponseMinutes: 120, nextResponseMinutes: 60, businessHours: false },
  ] })).statusCode).toBe(200);
  // The connections exist once they have an item; then their own accounts make the team's items outbound.
  const seed = await post('/items', [fixture[0], fixture[5]]);
  expect(seed.statusCode, seed.body).toBe(200);
  for (const c of (await get('/connections')).json().connections) {
    const accounts = c.platform === 'facebook' ? [fbTeam.platformUserId] : [team.handle];
    expect((await put(`/inbox/connections/${c.id}/own-accounts`, { accounts })).statusCode).toBe(200);
  }
  const rest = await post('/items', fixture.filter((_, i) => i !== 0 && i !== 5));
  expect(rest.statusCode, rest.body).toBe(200);
  await drain(t.app);
  const b = await convOf('b1');
  const done = await post(`/inbox/conversations/${b}/status`, { status: 'done' }, mia);
  expect(done.statusCode, done.body).toBe(200);
  doneAt = new Date(done.json().conversation.doneAt);
});
afterAll(async () => { await t?.close(); });

/** Business seconds between two instants, Monday to Friday 09:00–17:00 UTC, counted day by day. */
function businessSecondsByHand(a: Date, b: Date): number {
  let total = 0;
  for (let d = Date.UTC(a.getUTCFullYear(), a.getUTCMonth(), a.getUTCDate()); d < +b; d += 86_400_000) {
    const wd = new Date(d).getUTCDay();
    if (wd === 0 || wd === 6) continue;
    const open = d + 9 * 3_600_000;
    const close = d + 17 * 3_600_000;
    total += Math.max(0, Math.min(close, +b) - Math.max(open, +a));
  }
  return total / 1000;
}

describe('inbox figures', () => {
  it('match the figures computed by hand', async () => {
    const res = await get(`/metrics/inbox?${PERIOD}`);
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json();
    expect(m.total.conversations).toBe(3);
    expect(m.total.inbound).toBe(6);
    // First response: A 30 min (10:00 → 10:30); B Fri 16:30 → Mon 09:30 = 65 h wall, 30 + 30 min business; C unanswered.
    expect(m.total.firstResponse.wall).toEqual({ count: 2, p50: 1800, p90: 234_000, mean: (1800 + 234_000) / 2 });
    expect(m.total.firstResponse.business).toEqual({ count: 2, p50: 1800, p90: 3600, mean: 2700 });
    expect(m.total.firstResponse.unanswered).toBe(1);
    // Next response: a3 11:00 → a4 13:00 = 2 h; a5 after a4 is unanswered.
    expect(m.total.nextResponse.wall).toEqual({ count: 1, p50: 7200, p90: 7200, mean: 7200 });
    expect(m.total.nextResponse.unanswered).toBe(1);
    // Resolution: only B is done, from b1 to the moment it was set to done.
    const wall = (+doneAt - Date.parse('2026-11-20T16:30:00Z')) / 1000;
    expect(m.total.resolution.wall).toMatchObject({ count: 1 });
    expect(m.total.resolution.wall.p50).toBeCloseTo(wall, 2);
    expect(m.total.resolution.business.p50).toBeCloseTo(businessSecondsByHand(new Date('2026-11-20T16:30:00Z'), doneAt), 2);
    expect(m.total.resolution.unresolved).toBe(2);
    // Response rate: a1, a3, b1 and c2 need an answer (a5 thanks, c1 praise do not); a1, a3, b1 answered → 3 of 4.
    // Within the SLA: a1 30 min ≤ 120 ✓, a3 120 min > 60 ✗, b1 60 business min ≤ 60 ✓, c2 never ✗ → 2 of 4.
    expect(m.total.responseRate).toEqual({ needAnswer: 4, answered: 3, withinSlaOf: 4, withinSla: 2, atAll: 0.75, inSla: 0.5 });
    // Volume: inbound items by hour and weekday (Monday first).
    const hours = new Array(24).fill(0);
    hours[10] = 1; hours[11] = 1; hours[12] = 2; hours[13] = 1; hours[16] = 1;
    expect(m.volume.byHour).toEqual(hours);
    expect(m.volume.byWeekday).toEqual([5, 0, 0, 0, 1, 0, 0]);
  });

  it('break down by platform and by day', async () => {
    const byPlatform = (await get(`/metrics/inbox?${PERIOD}&groupBy=platform`)).json();
    expect(byPlatform.groups.map((g: any) => [g.group, g.conversations, g.inbound, g.responseRate.atAll])).toEqual([
      ['facebook', 1, 1, 1], ['mastodon', 2, 5, 2 / 3],
    ]);
    const byDay = (await get(`/metrics/inbox?${PERIOD}&groupBy=day`)).json();
    expect(byDay.groups.map((g: any) => [g.group, g.inbound, g.firstResponse.wall.count])).toEqual([['2026-11-20', 1, 1], ['2026-11-23', 5, 1]]);
    const onlyFb = (await get(`/metrics/inbox?${PERIOD}&platform=facebook`)).json();
    expect(onlyFb.total.inbound).toBe(1);
  });

  it('a "needs an answer" correction changes the response rate', async () => {
    const c1 = await itemId('c1');
    expect((await put(`/items/${c1}/needs-answer`, { needsAnswer: true }, mia)).statusCode).toBe(200);
    expect((await get(`/metrics/inbox?${PERIOD}`)).json().total.responseRate).toEqual({ needAnswer: 5, answered: 3, withinSlaOf: 5, withinSla: 2, atAll: 0.6, inSla: 0.4 });
    const c2 = await itemId('c2');
    expect((await put(`/items/${c2}/needs-answer`, { needsAnswer: false }, mia)).statusCode).toBe(200);
    expect((await get(`/metrics/inbox?${PERIOD}`)).json().total.responseRate).toMatchObject({ needAnswer: 4, answered: 3, atAll: 0.75 });
    await put(`/items/${c1}/needs-answer`, { needsAnswer: null }, mia);
    await put(`/items/${c2}/needs-answer`, { needsAnswer: null }, mia);
    expect((await get(`/metrics/inbox?${PERIOD}`)).json().total.responseRate).toMatchObject({ needAnswer: 4, atAll: 0.75, inSla: 0.5 });
  });

  it('export as CSV with the same figures', async () => {
    const res = await get(`/metrics/inbox?${PERIOD}&groupBy=platform&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="inbox-metrics-2026-11-20-2026-11-24\.csv"/);
    const [head, ...rows] = res.body.trim().split('\r\n').map((l) => l.split(','));
    const col = (row: string[], name: string) => row[head.indexOf(name)];
    expect(rows.map((r) => r[0])).toEqual(['all', 'facebook', 'mastodon']);
    expect(col(rows[0], 'first_response_p50_s')).toBe('1800');
    expect(col(rows[0], 'first_response_business_p90_s')).toBe('3600');
    expect(col(rows[0], 'response_rate')).toBe('0.75');
    expect(col(rows[0], 'response_rate_within_sla')).toBe('0.5');
    expect(col(rows[2], 'need_answer')).toBe('3');
  });

  it('refuse a bad period with the field named', async () => {
    const res = await get('/metrics/inbox?from=2026-11-24T00:00:00Z&to=2026-11-20T00:00:00Z');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/from/);
    expect((await get('/metrics/inbox?groupBy=colour')).json().error.message).toMatch(/groupBy/);
    // Analysts read figures; nobody outside the workspace does.
    const ana = await addMember(t.server, owner, 'ana@example.org', 'analyst');
    expect((await get(`/metrics/inbox?${PERIOD}`, ana)).statusCode).toBe(200);
  });
});
