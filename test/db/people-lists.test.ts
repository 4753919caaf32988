// The people list's filters, totals and CSV export on a small workspace whose answers are known:
// the search (a substring of a name or of a handle, through trigram indexes where pg_trgm is there,
// which it is on both databases here), the totals of filtered lists, the CSV in the list's order,
// and keep in touch paged across its reasons and segments.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, createToken, postItems, as, type TestEnv, type Session } from '../helpers.js';
import { keepInTouch, listPeople } from '../../src/people/lists.js';

let t: TestEnv;
let owner: Session;
let token: string;
let workspaceId: string;
const NOW = new Date(Date.UTC(2026, 5, 30, 12));
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const post = (items: unknown[]) => postItems(t.server, token, items);
const get = (url: string) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(owner) });

// Name, handle, platform; the handles are not made from the names, so a match says which one matched.
const MEMBERS: [string, string, string][] = [
  ['Anna Berg', '@stadtkind', 'mastodon'], ['Jörg Bergmann', '@joerg_b', 'bluesky'], ['Lena Krause', '@bergfreundin', 'bluesky'],
  ['Kai Wolf', '@kai', 'mastodon'], ['Mira Hahn', '@mira.h', 'bluesky'], ['Otto 100% Ohm', '@o_tto', 'mastodon'], ['Ute Lange', "@ute'l", 'mastodon'],
];

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  token = await createToken(t.server, owner);
  [{ id: workspaceId }] = await t.app.db.query<{ id: string }>(`select id from workspaces`);
  const items = MEMBERS.flatMap(([name, handle, platform], i) => Array.from({ length: i + 1 }, (_, k) => ({
    platform, platformId: `p${i}-${k}`, threadId: `t${i}`, author: { platformUserId: `u${i}`, handle, displayName: name }, text: `Beitrag ${i}.${k}`, createdAt: ago(40 - i - k),
  })));
  expect((await post(items)).json()).toMatchObject({ created: items.length });
  await t.server.inject({ method: 'PATCH', url: `/api/v1/people/${await personId('u2')}`, headers: as(owner), payload: { tags: ['Presse'] } });
  await t.server.inject({ method: 'PATCH', url: `/api/v1/people/${await personId('u4')}`, headers: as(owner), payload: { tags: ['Presse', 'Rat'] } });
});
afterAll(() => t?.close());

const personId = async (uid: string) => (await t.app.db.query<any>(`select person_id from identities where platform_user_id = $1`, [uid]))[0].person_id;
const names = (rows: { displayName: string | null }[]) => rows.map((r) => r.displayName).sort();

describe('people list', () => {
  it('finds a substring of a name or of a handle, in any case, through the trigram indexes', async () => {
    const [ext] = await t.app.db.query<any>(`select count(*)::int as n from pg_extension where extname = 'pg_trgm'`);
    expect(ext.n).toBe(1);
    const idx = await t.app.db.query<any>(`select indexname from pg_indexes where indexname in ('persons_name_trgm', 'identities_handle_trgm') order by 1`);
    expect(idx.map((r: any) => r.indexname)).toEqual(['identities_handle_trgm', 'persons_name_trgm']);
    const res = await get(`/people?q=${encodeURIComponent('BERG')}`);
    expect(res.statusCode).toBe(200);
    // Two names and one handle ("@bergfreundin") contain "berg".
    expect(names(res.json().people)).toEqual(['Anna Berg', 'Jörg Bergmann', 'Lena Krause']);
    expect(res.json().total).toBe(3);
    expect(names((await get('/people?q=mira.h')).json().people)).toEqual(['Mira Hahn']);
    // Shorter than a trigram: still a substring search (then without the index).
    expect(names((await get('/people?q=ai')).json().people)).toEqual(['Kai Wolf']);
  });

  it('keeps hostile search text a value', async () => {
    for (const q of ["'", "ute'l", '\\', "'); drop table persons; --", '%']) {
      const res = await get(`/people?q=${encodeURIComponent(q)}`);
      expect(res.statusCode, q).toBe(200);
    }
    expect(names((await get(`/people?q=${encodeURIComponent("ute'l")}`)).json().people)).toEqual(['Ute Lange']);
    // ILIKE as the list always did: % in the text stands for anything, as before.
    expect((await get(`/people?q=${encodeURIComponent('%')}`)).json().total).toBe(MEMBERS.length);
    expect(names((await get(`/people?q=${encodeURIComponent('100%')}`)).json().people)).toEqual(['Otto 100% Ohm']);
    expect((await t.app.db.query<any>(`select count(*)::int as n from persons`))[0].n).toBeGreaterThanOrEqual(MEMBERS.length);
  });

  it('gives filtered totals that match the whole filtered list', async () => {
    for (const [url, filter, expected] of [
      ['/people?platform=bluesky', { platform: 'bluesky' }, ['Jörg Bergmann', 'Lena Krause', 'Mira Hahn']],
      ['/people?tag=Presse', { tags: ['Presse'] }, ['Lena Krause', 'Mira Hahn']],
      ['/people?tag=Presse&platform=bluesky&q=hahn', { tags: ['Presse'], platform: 'bluesky', q: 'hahn' }, ['Mira Hahn']],
      ['/people?platform=facebook', { platform: 'facebook' }, []],
    ] as const) {
      const res = await get(`${url}&limit=1`);
      expect(res.json().total, url).toBe(expected.length);
      expect(names(await listPeople(t.app.db, workspaceId, NOW, filter as any)), url).toEqual(expected);
    }
  });

  it('exports the CSV in the list\'s order, every match, streamed', async () => {
    for (const sort of ['last', 'name', 'items']) {
      const res = await get(`/people?format=csv&sort=${sort}`);
      expect(res.statusCode).toBe(200);
      const lines = res.body.split('\r\n');
      expect(lines.at(-1)).toBe('');
      const ids = lines.slice(1, -1).map((l) => Number(l.split(',')[0]));
      const page = (await get(`/people?sort=${sort}&limit=500`)).json().people.map((p: any) => p.person_id);
      expect(ids, sort).toEqual(page);
    }
    const press = (await get('/people?format=csv&tag=Presse&sort=name')).body.trim().split('\r\n');
    expect(press.slice(1).map((l) => l.split(',')[1])).toEqual(['Lena Krause', 'Mira Hahn']);
    // A handle's leading @ is defused like a formula, as every cell of the export.
    expect(press[1]).toContain(",'@bergfreundin,Presse,");
    const none = await get('/people?format=csv&platform=facebook');
    expect(none.body).toBe('id,name,level,platforms,handles,tags,items,items_90_days,reach_90_days,first_item_at,last_item_at,last_team_contact_at\r\n');
  });
});

describe('keep in touch', () => {
  it('takes the shortest limit of a person\'s segments, and pages across reasons as the whole list', async () => {
    // Everyone wrote 33–40 days ago and never heard from the team. Without segments only
    // contributors count as quiet; a segment "Presse" (7 days) and one for bluesky (20 days) bring
    // in their members, Mira (in both) with the shorter limit.
    const segments = [
      { name: 'Bluesky', filters: { platform: 'bluesky' }, quiet_days: 20 },
      { name: 'Presse', filters: { tags: ['Presse'] }, quiet_days: 7 },
      { name: 'Suche', filters: { q: 'berg' }, quiet_days: 35 },
    ];
    const all = await keepInTouch(t.app.db, workspaceId, NOW, segments);
    const quiet = all.filter((r) => r.reason === 'quiet');
    const by = Object.fromEntries(quiet.map((r) => [r.displayName, `${r.segment}:${r.detail.quietDays}`]));
    expect(by['Mira Hahn']).toBe('Presse:7');
    expect(by['Lena Krause']).toBe('Presse:7');
    expect(by['Jörg Bergmann']).toBe('Bluesky:20');
    // Anna wrote 40 days ago: past the 35 days of "Suche".
    expect(by['Anna Berg']).toBe('Suche:35');
    expect(by['Kai Wolf']).toBeUndefined();
    for (const [offset, limit] of [[0, 2], [1, 3], [4, 10], [20, 5]]) {
      expect(await keepInTouch(t.app.db, workspaceId, NOW, segments, { limit, offset }), `${offset}+${limit}`).toEqual(all.slice(offset, offset + limit));
      expect(await keepInTouch(t.app.db, workspaceId, NOW, segments, { reason: 'quiet', limit, offset })).toEqual(quiet.slice(offset, offset + limit));
    }
  });
});
