// Privacy: a person's export holds everything about them; erasure leaves none of their personal
// data anywhere in the database (every text, jsonb, array and tsvector column is searched for the
// fixture's names) while the counts stay; the raw-payload retention sweep. All audited.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, drain, type TestEnv, type Session } from '../helpers.js';
import { linkIdentities } from '../../src/people/link.js';
import { purgeRawPayloads } from '../../src/people/privacy.js';

let t: TestEnv;
let owner: Session;
let workspaceId: string;
const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: unknown) =>
  t.server.inject({ method, url: `/api/v1${url}`, headers: as(owner), ...(payload === undefined ? {} : { payload: payload as any }) });

const NAMES = ['zwiebelmeier', 'annegret', 'kiezkrabbe'];
const at = (d: number) => new Date(Date.UTC(2026, 9, d, 10)).toISOString();
const items = [
  { platform: 'mastodon', platformId: 'z1', threadId: 'zt1', author: { platformUserId: '4711', handle: '@kiezkrabbe@social.example', displayName: 'Annegret Zwiebelmeier', profileUrl: 'https://social.example/@kiezkrabbe' },
    text: 'Ich bin Annegret Zwiebelmeier und wohne an der Haltestelle Nord.', createdAt: at(1),
    raw: { account: { note: 'Annegret aus dem Kiez, mail: annegret.zwiebelmeier@example.org', email: 'annegret.zwiebelmeier@example.org', email_verified: true } } },
  { platform: 'forum', platformId: 'z2', threadId: 'zt2', author: { platformUserId: 'f-4711', handle: 'kiezkrabbe', displayName: 'Annegret Z.' },
    text: 'Nochmal ich, die Kiezkrabbe.', createdAt: at(2), raw: { user: { email: 'annegret.zwiebelmeier@example.org', email_verified: true, bio: 'Zwiebelmeier' } } },
  { platform: 'mastodon', platformId: 'other', threadId: 'zt1', author: { platformUserId: '5000', handle: '@bert@social.example', displayName: 'Bert' },
    text: 'Ich sehe das wie du.', parentId: 'z1', createdAt: at(3) },
];

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  [{ id: workspaceId }] = await t.app.db.query<{ id: string }>(`select id from workspaces`);
  expect((await api('POST', '/items', items)).json()).toMatchObject({ created: 3 });
  await drain(t.app);
  await linkIdentities(t.app.db, workspaceId);
});
afterAll(() => t?.close());

/** Every place in the database a name could hide: all text-like columns of all tables. */
async function findNames(): Promise<string[]> {
  const cols = await t.app.db.query<{ s: string; t: string; c: string }>(
    `select c.table_schema as s, c.table_name as t, c.column_name as c from information_schema.columns c
     join information_schema.tables tb on tb.table_schema = c.table_schema and tb.table_name = c.table_name and tb.table_type = 'BASE TABLE'
     where c.table_schema not in ('pg_catalog', 'information_schema') and (c.data_type in ('text', 'jsonb', 'json', 'character varying', 'tsvector', 'ARRAY'))`);
  const hits: string[] = [];
  for (const { s, t: tb, c } of cols) {
    const [{ n }] = await t.app.db.query<{ n: number }>(`select count(*)::int as n from "${s}"."${tb}" where "${c}"::text ~* $1`, [NAMES.join('|')]);
    if (n) hits.push(`${s}.${tb}.${c}`);
  }
  return hits;
}

describe('privacy', () => {
  it('exports everything held about the person, and logs the export', async () => {
    const [{ person_id }] = await t.app.db.query<any>(`select person_id from identities where platform_user_id = '4711'`);
    await api('POST', `/people/${person_id}/notes`, { text: 'Annegret möchte zum Stadtteilfest eingeladen werden.' });
    await api('PATCH', `/people/${person_id}`, { tags: ['Kiezkrabbe-Fan'], fields: { Ort: 'Zwiebelmeier-Hof' } });
    const res = await api('GET', `/people/${person_id}/export`);
    expect(res.statusCode).toBe(200);
    const data = res.json();
    // Both accounts were linked by the verified e-mail; the export holds both, their items, raw payloads and the note.
    expect(data.identities.map((d: any) => d.platform).sort()).toEqual(['forum', 'mastodon']);
    expect(data.items.map((i: any) => i.platform_id).sort()).toEqual(['z1', 'z2']);
    expect(data.items.find((i: any) => i.platform_id === 'z1').raw.account.email).toBe('annegret.zwiebelmeier@example.org');
    expect(data.notes.map((n: any) => n.text)).toEqual(['Annegret möchte zum Stadtteilfest eingeladen werden.']);
    expect(data.signals.length).toBeGreaterThan(0);
    const [ev] = await t.app.db.query<any>(`select data from events where type = 'person.exported'`);
    expect(ev.data).toEqual({ items: 2, identities: 2 });
  });

  it('erasure leaves no personal data in any column and keeps the counts', async () => {
    expect((await findNames()).length).toBeGreaterThan(3);
    const [{ person_id }] = await t.app.db.query<any>(`select person_id from identities where platform_user_id = '4711'`);
    const count = async () => (await t.app.db.query<any>(`select (select count(*) from items)::int as items, (select count(*) from identities)::int as identities, (select count(*) from signals)::int as signals`))[0];
    const before = await count();
    expect((await api('POST', `/people/${person_id}/erase`, {})).statusCode).toBe(400);
    const res = await api('POST', `/people/${person_id}/erase`, { confirm: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ items: 2, identities: 2 });
    expect(await findNames()).toEqual([]);
    expect(await count()).toEqual(before);
    // The other member's reply is untouched; the erasure is an event with counts only.
    const [bert] = await t.app.db.query<any>(`select text from items where platform_id = 'other'`);
    expect(bert.text).toBe('Ich sehe das wie du.');
    const [ev] = await t.app.db.query<any>(`select actor, data from events where type = 'person.erased'`);
    expect(ev).toEqual({ actor: 'Olga Owner', data: { items: 2, identities: 2, persons: 2 } });
  });

  it('purges raw payloads older than the retention setting, logged', async () => {
    expect((await api('PUT', '/people-privacy', { rawRetentionDays: 0 })).statusCode).toBe(400);
    expect((await api('PUT', '/people-privacy', { rawRetentionDays: 30 })).json()).toEqual({ rawRetentionDays: 30 });
    // "Now" is 2026-11-05: items of October 1–3 (35 days old and more) lose their raw payload.
    const purged = await purgeRawPayloads(t.app.db, new Date(Date.UTC(2026, 10, 5)));
    const [{ left }] = await t.app.db.query<any>(`select count(*)::int as left from items where raw is not null`);
    expect(left).toBe(0);
    expect(purged).toBe(1);
    const evs = await t.app.db.query<any>(`select type, data from events where type like 'privacy.%' order by id`);
    expect(evs).toEqual([{ type: 'privacy.retention', data: { before: null, after: 30 } }, { type: 'privacy.raw_purged', data: { items: 1, olderThanDays: 30 } }]);
  });
});
