// Keep in touch, member levels, segments and the CSV export on a small workspace whose answers
// are known: Karla (contributor) has not heard from the team for 45 days, Dieter (and Karla) wrote
// before and not at all in the last 30 days, Nina is new and got no answer, Otto is new and got
// one but sits in a segment with a 1-day limit.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, createToken, postItems, as, type TestEnv, type Session } from '../helpers.js';
import { keepInTouch, listPeople, type PersonRow } from '../../src/people/lists.js';
import { personStats, type PersonStats } from '../../src/people/stats.js';

let t: TestEnv;
let owner: Session;
let token: string;
let workspaceId: string;
const NOW = new Date(Date.UTC(2026, 5, 30, 12));
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const post = (items: unknown[]) => postItems(t.server, token, items);
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

describe('kept figures (person_stats)', () => {
  const DAY = 86_400_000;
  const pick = (r: PersonRow | PersonStats | undefined) => r ? {
    items_total: r.items_total, items_90: r.items_90, items_30: r.items_30, items_prev_90: r.items_prev_90, reach_90: r.reach_90, first_item_at: r.first_item_at,
    last_item_at: r.last_item_at, last_team_at: r.last_team_at, first_answered: r.first_answered, first_conversation_id: r.first_conversation_id,
    last_conversation_id: r.last_conversation_id, level: r.level } : {
    items_total: 0, items_90: 0, items_30: 0, items_prev_90: 0, reach_90: 0, first_item_at: null, last_item_at: null, last_team_at: null,
    first_answered: false, first_conversation_id: null, last_conversation_id: null, level: 'observer' };
  /** The kept rows equal a count from the items at `now`; returns them by name. */
  async function check(now: Date): Promise<Map<string | null, PersonRow>> {
    const kept = await listPeople(t.app.db, workspaceId, now, {}, { limit: 10_000 });
    const fresh = new Map((await personStats(t.app.db, workspaceId, now, null)).map((s) => [s.person_id, s]));
    expect(kept.length).toBeGreaterThan(4);
    for (const r of kept) expect(pick(r), `${r.displayName}`).toEqual(pick(fresh.get(r.person_id)));
    return new Map(kept.map((r) => [r.displayName, r]));
  }
  const dirty = async () => (await t.app.db.query<{ n: number }>(`select count(*)::int as n from person_stats_dirty`))[0].n;

  it('stay equal to a fresh count as items, answers, merges, splits and time come', async () => {
    const T0 = new Date(Date.now() + DAY);
    const at = (d: number) => new Date(T0.getTime() + d * DAY).toISOString();
    await check(T0);
    const rita = by('rita', 'Rita Rot');
    expect((await post([
      { platform: 'mastodon', platformId: 'r1', threadId: 'r-thread', author: rita, text: 'Der Aufzug am Bahnhof ist kaputt', createdAt: at(-25) },
      { platform: 'mastodon', platformId: 'r2', threadId: 'r-thread', parentId: 'r1', author: rita, text: 'Immer noch', createdAt: at(-24) },
      { platform: 'mastodon', platformId: 'r3', threadId: 'r-thread', parentId: 'r1', author: by('dieter', '=Dieter'), text: 'Bei mir auch', createdAt: at(-20) },
    ])).json()).toMatchObject({ created: 3 });
    expect(await dirty()).toBeGreaterThan(0);
    let rows = await check(T0);
    expect(await dirty()).toBe(0);
    expect(rows.get('Rita Rot')).toMatchObject({ items_total: 2, items_30: 2, reach_90: 1, first_answered: false, last_team_at: null });
    // The team answers in her thread: she has heard from the team, her first item is answered.
    expect((await post([{ platform: 'mastodon', platformId: 'r4', threadId: 'r-thread', parentId: 'r2', author: by('brand', 'Stadtwerke Nord'), text: 'Ist gemeldet', createdAt: at(-1) }])).json()).toMatchObject({ created: 1 });
    rows = await check(T0);
    expect(rows.get('Rita Rot')).toMatchObject({ first_answered: true, last_team_at: at(-1) });
    // Ten days later nothing was written, but her items left the 30-day window.
    rows = await check(new Date(T0.getTime() + 10 * DAY));
    expect(rows.get('Rita Rot')).toMatchObject({ items_30: 0, items_prev_90: 2 });
    // Merged into Dieter she leaves the list; split, she is back with his reply counting again.
    const [ritaId, dieterId] = await Promise.all(['rita', 'dieter'].map(personId));
    expect((await t.server.inject({ method: 'POST', url: '/api/v1/people/merge', headers: as(owner), payload: { into: dieterId, from: ritaId } })).statusCode).toBe(200);
    rows = await check(new Date(T0.getTime() + 11 * DAY));
    expect(rows.has('Rita Rot')).toBe(false);
    expect(rows.get('=Dieter')!.items_total).toBe(12);
    const merge = (await t.server.inject({ method: 'GET', url: `/api/v1/people/${dieterId}`, headers: as(owner) })).json().merges.find((m: any) => m.fromPerson === ritaId);
    expect((await t.server.inject({ method: 'POST', url: `/api/v1/people/merges/${merge.id}/split`, headers: as(owner) })).statusCode).toBe(200);
    rows = await check(new Date(T0.getTime() + 12 * DAY));
    expect(rows.get('Rita Rot')).toMatchObject({ items_total: 2, reach_90: 1 });
  });

  it('pages and sorts the list, and pages keep in touch by reason', async () => {
    const first = await t.server.inject({ method: 'GET', url: '/api/v1/people?limit=2&sort=name', headers: as(owner) });
    const second = await t.server.inject({ method: 'GET', url: '/api/v1/people?limit=2&offset=2&sort=name', headers: as(owner) });
    const names = [...first.json().people, ...second.json().people].map((p: any) => p.displayName);
    expect(first.json().total).toBeGreaterThan(4);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect(new Set(names).size).toBe(4);
    const bad = await t.server.inject({ method: 'GET', url: '/api/v1/people?sort=shoe', headers: as(owner) });
    expect(bad.statusCode).toBe(400);
    const all = await keepInTouch(t.app.db, workspaceId, NOW, []);
    const dropped = await keepInTouch(t.app.db, workspaceId, NOW, [], { reason: 'dropped', limit: 1, offset: 1 });
    expect(dropped).toEqual(all.filter((r) => r.reason === 'dropped').slice(1, 2));
  });
});
