// Sending items over HTTP: batches, idempotency, edits, bad input, and the pipeline's result.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, createToken, drain, item, type TestEnv } from '../helpers.js';

let t: TestEnv;
let token: string;
const post = (payload: unknown, headers: Record<string, string> = {}) =>
  t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers }, payload: typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload) });
const count = async () => (await t.app.db.query<{ n: number }>('select count(*)::int as n from items'))[0].n;

beforeAll(async () => {
  t = await startTestApp();
  token = await createToken(t.server, await setupOwner(t.server));
});
afterAll(() => t?.close());

describe('POST /api/v1/items', () => {
  it('stores one item, a batch and NDJSON, and every item reaches the end of the pipeline', async () => {
    expect((await post(item(1))).json()).toMatchObject({ received: 1, created: 1, duplicate: 0, rejected: [] });
    expect((await post([item(2), item(3)])).json()).toMatchObject({ received: 2, created: 2 });
    expect((await post({ items: [item(4)] })).json()).toMatchObject({ created: 1 });
    const nd = [item(5), item(6)].map((i) => JSON.stringify(i)).join('\n') + '\n';
    const res = await post(nd, { 'content-type': 'application/x-ndjson' });
    expect(res.json()).toMatchObject({ received: 2, created: 2 });
    await drain(t.app);
    const rows = await t.app.db.query<any>(`select platform_id, stage, language, text_normalised, search is not null as searchable from items order by id`);
    expect(rows).toHaveLength(6);
    for (const r of rows) expect(r).toMatchObject({ stage: 'done', searchable: true });
    // Odd items are German, even ones English (see helpers.item).
    expect(rows.find((r) => r.platform_id === 'status-1')!.language).toBe('de');
    expect(rows.find((r) => r.platform_id === 'status-2')!.language).toBe('en');
    const signals = await t.app.db.query<any>(`select kind, label, source, evidence from signals where kind = 'language'`);
    expect(signals).toHaveLength(6);
    expect(signals[0].source).toMatch(/^language:/);
  });

  it('is idempotent: a re-delivery is a duplicate, an edit updates the item and keeps the old text', async () => {
    const before = await count();
    expect((await post(item(1))).json()).toMatchObject({ created: 0, updated: 0, duplicate: 1 });
    expect((await post([item(7), item(7)])).json()).toMatchObject({ created: 1, duplicate: 1 });
    const edited = (await post(item(1, { text: 'Wann kommt die Buslinie? (bearbeitet)' }))).json();
    expect(edited).toMatchObject({ created: 0, updated: 1 });
    expect(await count()).toBe(before + 1);
    await drain(t.app);
    const [row] = await t.app.db.query<any>(`select id, text, edited_at, stage from items where platform_id = 'status-1'`);
    expect(row).toMatchObject({ text: 'Wann kommt die Buslinie? (bearbeitet)', stage: 'done' });
    expect(row.edited_at).not.toBeNull();
    const events = await t.app.db.query<any>(`select type, data from events where item_id = $1`, [row.id]);
    expect(events).toEqual([{ type: 'item.edited', data: { previousText: item(1).text } }]);
  });

  it('finds German items by stem in full-text search', async () => {
    await post(item(100, { text: 'Die Busfahrer streiken morgen in allen Stadtteilen.' }));
    await drain(t.app);
    const hits = await t.app.db.query<any>(`select platform_id from items where search @@ to_tsquery('german', 'Stadtteil')`);
    expect(hits.map((h) => h.platform_id)).toEqual(['status-100']);
  });

  it('keeps the good rows of a batch and names row and field of each bad one', async () => {
    const before = await count();
    const res = await post([
      item(201),
      { ...item(202), platform: 'myspace' },
      { ...item(203), text: undefined },
      { ...item(204), text: 42 },
      { ...item(205), text: 'x'.repeat(100_001) },
      { ...item(206), text: 'null\u0000byte' },
      { ...item(207), author: { handle: 'ok', extra: 'nul\u0000' } },
      'not an object',
      item(209),
    ]);
    expect(res.statusCode).toBe(207);
    const body = res.json();
    expect(body).toMatchObject({ received: 9, created: 2 });
    const byRow = Object.fromEntries(body.rejected.map((e: any) => [e.row, `${e.field}: ${e.message}`]));
    expect(byRow[2]).toMatch(/^platform: unknown platform/);
    expect(byRow[3]).toBe('text: is required');
    expect(byRow[4]).toMatch(/^text: /);
    expect(byRow[5]).toBe('text: longer than 100000 characters');
    expect(byRow[6]).toBe('text: contains a NUL character');
    expect(byRow[7]).toBe('author.extra: contains a NUL character');
    expect(byRow[8]).toBe('(row): must be a JSON object');
    expect(await count()).toBe(before + 2);
  });

  it('reports invalid UTF-8 for the row and field it is in', async () => {
    const good = Buffer.from(JSON.stringify([item(301), { ...item(302), text: 'BAD' }]));
    const at = good.indexOf('BAD');
    const body = Buffer.concat([good.subarray(0, at), Buffer.from([0xc3, 0x28]), good.subarray(at + 3)]);
    const res = await post(body);
    expect(res.statusCode).toBe(207);
    expect(res.json().rejected).toEqual([{ row: 2, field: 'text', message: 'contains invalid Unicode (invalid UTF-8 or a lone surrogate)' }]);
  });

  it('refuses malformed JSON, an empty body and an oversized batch with a clear error, storing nothing', async () => {
    const before = await count();
    const bad = await post('[{"platform": "mastodon",');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('malformed_json');
    const empty = await post('');
    expect(empty.statusCode).toBe(400);
    const all = await post([{ platform: 'nope' }]);
    expect(all.statusCode).toBe(400);
    expect(all.json().error.message).toMatch(/row 1, platform: unknown platform/);
    const big = await post(Array.from({ length: 1001 }, (_, i) => item(1000 + i)));
    expect(big.statusCode).toBe(413);
    expect(await count()).toBe(before);
  });

  it('needs a valid token', async () => {
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: 'Bearer almt_nope' }, payload: item(1) });
    expect(res.statusCode).toBe(401);
    const none = await t.server.inject({ method: 'POST', url: '/api/v1/items', payload: item(1) });
    expect(none.statusCode).toBe(401);
  });
});

describe('GET /api/v1/items', () => {
  it('pages newest first with a cursor, and serves one item with its signals and history', async () => {
    await drain(t.app);
    const first = (await t.server.inject({ url: '/api/v1/items?limit=3', headers: { authorization: `Bearer ${token}` } })).json();
    expect(first.items).toHaveLength(3);
    const all: any[] = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = (await t.server.inject({ url: `/api/v1/items?limit=3&before=${cursor}`, headers: { authorization: `Bearer ${token}` } })).json();
      all.push(...page.items);
      cursor = page.nextCursor;
    }
    expect(all).toHaveLength(await count());
    const times = all.map((i) => i.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const one = (await t.server.inject({ url: `/api/v1/items/${all[0].id}`, headers: { authorization: `Bearer ${token}` } })).json();
    expect(one.id).toBe(all[0].id);
    expect(one.signals.some((s: any) => s.kind === 'language')).toBe(true);
    const badCursor = await t.server.inject({ url: '/api/v1/items?before=zzz', headers: { authorization: `Bearer ${token}` } });
    expect(badCursor.statusCode).toBe(400);
  });
});
