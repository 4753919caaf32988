// Keep in touch, member levels, segments and the CSV export on a small workspace whose answers
// are known: Karla (contributor) has not heard from the team for 45 days, Dieter (and Karla) wrote
// before and not at all in the last 30 days, Nina is new and got no answer, Otto is new and got
// one but sits in a segment with a 1-day limit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, createToken, as, type TestEnv, type Session } from '../helpers.js';
import { keepInTouch, listPeople } from '../../src/people/lists.js';

let t: TestEnv;
let owner: Session;
let token: string;
let workspaceId: string;
const NOW = new Date(Date.UTC(2026, 5, 30, 12));
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const post = (items: unknown[]) => t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(items) });
const by = (id: string, name: string) => ({ platformUserId: id, handle: `@${id}@social.example`, displayName: name });
let n = 0;
const it_ = (author: object, days: number, over: object = {}) => ({ platform: 'mastodon', platformId: `k${++n}`, threadId: 'k-thread', author, text: `Beitrag ${n}`, createdAt: ago(days), ...over });

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  token = await createToken(t.server, owner);
  [{ id: workspaceId }] = await t.app.db.query<{ id: string }>(`select id from workspaces`);
  // The connection first, so the team's own account is known before its replies arrive.
  await post([it_(by('karla', 'Karla Kern'), 60)]);
  await t.app.db.query(`update connections set settings = '{"ownAccounts": ["brand"]}'`);
  const items = [
    ...Array.from({ length: 11 }, (_, i) => it_(by('karla', 'Karla Kern'), 59 - i)),
    it_(by('brand', 'Stadtwerke Nord'), 45),
    ...Array.from({ length: 9 }, (_, i) => it_(by('dieter', '=Dieter'), 100 - i * 5, { threadId: 'd-thread' })),
    it_(by('nina', 'Nina Neu'), 2, { threadId: 'n-thread', parentId: 'k1' }),
    it_(by('otto', 'Otto Ohm'), 3, { threadId: 'o-thread' }),
    it_(by('brand', 'Stadtwerke Nord'), 2.5, { threadId: 'o-thread' }),
  ];
  expect((await post(items)).json()).toMatchObject({ created: items.length });
});
afterAll(() => t?.close());

const personId = async (uid: string) => (await t.app.db.query<any>(`select person_id from identities where platform_user_id = $1`, [uid]))[0].person_id;

describe('keep in touch', () => {
  it('computes levels and reach from activity', async () => {
    const rows = await listPeople(t.app.db, workspaceId, NOW, {});
    const get = (name: string) => rows.find((r) => r.displayName === name)!;
    expect(get('Karla Kern')).toMatchObject({ items_90: 12, reach_90: 1, level: 'contributor' });
    expect(get('Nina Neu')).toMatchObject({ items_90: 1, reach_90: 0, level: 'participant' });
    expect(get('=Dieter')).toMatchObject({ items_90: 6, items_30: 0, items_prev_90: 9, level: 'participant' });
  });

  it('lists the quiet, the dropped and the unanswered newcomers, and segment limits', async () => {
    const [otto, karla, dieter, nina] = await Promise.all(['otto', 'karla', 'dieter', 'nina'].map(personId));
    let rows = await keepInTouch(t.app.db, workspaceId, NOW, []);
    const seen = rows.map((r) => `${r.reason}:${r.displayName}`).sort();
    // Karla also wrote 12 times 49–60 days ago and not since: her activity dropped, too.
    expect(seen).toEqual(['dropped:=Dieter', 'dropped:Karla Kern', 'newcomer:Nina Neu', 'quiet:Karla Kern']);
    const quiet = rows.find((r) => r.reason === 'quiet')!;
    expect(quiet).toMatchObject({ personId: karla, detail: { quietDays: 30, daysWithoutContact: 45 } });
    expect(quiet.conversationId).not.toBeNull();
    expect(rows.find((r) => r.reason === 'dropped' && r.personId === dieter)).toMatchObject({ detail: { last30: 0, per30Before: 3 } });
    expect(rows.find((r) => r.reason === 'newcomer')).toMatchObject({ personId: nina });

    // A segment "Presse" (tag) with a one-day limit brings Otto in: his last answer is 2.5 days old.
    await t.server.inject({ method: 'PATCH', url: `/api/v1/people/${otto}`, headers: as(owner), payload: { tags: ['Presse'] } });
    const seg = await t.server.inject({ method: 'POST', url: '/api/v1/people/segments', headers: as(owner), payload: { name: 'Presse', filters: { tags: ['Presse'] }, quietDays: 1 } });
    expect(seg.statusCode, seg.body).toBe(201);
    const segments = await t.app.db.query<any>(`select name, filters, quiet_days from person_segments`);
    rows = await keepInTouch(t.app.db, workspaceId, NOW, segments);
    expect(rows.find((r) => r.personId === otto)).toMatchObject({ reason: 'quiet', segment: 'Presse', detail: { quietDays: 1, daysWithoutContact: 2 } });
    const dup = await t.server.inject({ method: 'POST', url: '/api/v1/people/segments', headers: as(owner), payload: { name: 'Presse', filters: {}, quietDays: 5 } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.message).toMatch(/^name:/);
    const bad = await t.server.inject({ method: 'POST', url: '/api/v1/people/segments', headers: as(owner), payload: { name: 'X', filters: { level: 'boss' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/filters\.level/);
  });

  it('exports people as CSV, a segment too, with formulas defused', async () => {
    const res = await t.server.inject({ method: 'GET', url: '/api/v1/people?format=csv', headers: as(owner) });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/text\/csv/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('id,name,level,platforms,handles,tags,items,items_90_days,reach_90_days,first_item_at,last_item_at,last_team_contact_at');
    expect(lines.some((l) => l.includes(",'=Dieter,"))).toBe(true);
    const [seg] = await t.app.db.query<any>(`select id from person_segments where name = 'Presse'`);
    const only = await t.server.inject({ method: 'GET', url: `/api/v1/people?format=csv&segment=${seg.id}`, headers: as(owner) });
    expect(only.body.trim().split('\r\n').slice(1).map((l) => l.split(',')[1])).toEqual(['Otto Ohm']);
  });
});
