// Every item's author becomes an identity with a person of its own at ingest, set-based, in the
// ingest transaction: authors without a platform id fall back to the handle (e-mail: the address).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, createToken, item, type TestEnv } from '../helpers.js';

let t: TestEnv;
let token: string;
const post = (payload: unknown) =>
  t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });

beforeAll(async () => {
  t = await startTestApp();
  token = await createToken(t.server, await setupOwner(t.server));
});
afterAll(() => t?.close());

describe('identities at ingest', () => {
  it('gives every author one identity and one person, the same across batches and re-deliveries', async () => {
    // item(n) has author u(n % 7): 10 items from 7 authors.
    const first = await post(Array.from({ length: 10 }, (_, n) => item(n)));
    expect(first.statusCode).toBe(200);
    await post([item(3), item(12), item(20)]);
    const ids = await t.app.db.query<any>(`select platform, platform_user_id, handle, display_name, person_id from identities order by platform_user_id`);
    expect(ids.map((i) => i.platform_user_id)).toEqual(['u0', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
    expect(ids[1]).toMatchObject({ platform: 'mastodon', handle: '@leser1@social.example', display_name: 'Leser 1' });
    expect(new Set(ids.map((i) => i.person_id)).size).toBe(7);
    const persons = await t.app.db.query<any>(`select id, display_name, first_seen_at from persons order by id`);
    expect(persons).toHaveLength(7);
    expect(persons.map((p) => p.display_name).sort()).toEqual(['Leser 0', 'Leser 1', 'Leser 2', 'Leser 3', 'Leser 4', 'Leser 5', 'Leser 6']);
    // Every item points at its author's identity.
    const items = await t.app.db.query<any>(
      `select i.author_platform_id, d.platform_user_id from items i left join identities d on d.id = i.identity_id`);
    expect(items).toHaveLength(12);
    for (const i of items) expect(i.platform_user_id).toBe(i.author_platform_id);
  });

  it('falls back to the handle, lower-cases e-mail addresses, and leaves author-less items without identity', async () => {
    await post([
      item(101, { platform: 'forum', author: { handle: 'kiezfreundin', displayName: 'Kiez Freundin' } }),
      item(102, { platform: 'email', kind: 'email', author: { handle: 'Anna.Berg@Example.org', displayName: 'Anna Berg' } }),
      item(103, { platform: 'email', kind: 'email', author: { platformUserId: 'anna.berg@example.org' } }),
      item(104, { platform: 'website', author: {} }),
    ]);
    const rows = await t.app.db.query<any>(
      `select i.platform_id, d.platform, d.platform_user_id, d.person_id from items i left join identities d on d.id = i.identity_id
       where i.platform_id in ('status-101', 'status-102', 'status-103', 'status-104') order by i.platform_id`);
    expect(rows.map((r) => [r.platform_id, r.platform_user_id])).toEqual([
      ['status-101', 'kiezfreundin'], ['status-102', 'anna.berg@example.org'], ['status-103', 'anna.berg@example.org'], ['status-104', null]]);
    expect(rows[1].person_id).toBe(rows[2].person_id);
  });

  it('makes each identity once when batches with the same new authors are ingested at the same time', async () => {
    // Separate threads: concurrent batches into one thread can deadlock in the inbox's
    // conversation locking (seen on main without this change), which is not what this tests.
    const batch = (k: number) => Array.from({ length: 20 }, (_, n) => item(1000 + k * 100 + n, { platform: 'bluesky', threadId: `race-${k}`, author: { platformUserId: `did:plc:same${n % 5}`, handle: `same${n % 5}.bsky.social` } }));
    const results = await Promise.all([post(batch(1)), post(batch(2)), post(batch(3))]);
    for (const r of results) expect(r.statusCode, r.body).toBe(200);
    const [{ n }] = await t.app.db.query<any>(`select count(*)::int as n from identities where platform = 'bluesky'`);
    expect(n).toBe(5);
    const [{ missing }] = await t.app.db.query<any>(`select count(*)::int as missing from items where platform = 'bluesky' and identity_id is null`);
    expect(missing).toBe(0);
    // No person is left without an identity by the race.
    const [{ orphans }] = await t.app.db.query<any>(`select count(*)::int as orphans from persons p where not exists (select 1 from identities d where d.person_id = p.id)`);
    expect(orphans).toBe(0);
  });
});
