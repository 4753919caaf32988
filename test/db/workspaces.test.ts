// One installation, several communities: data never crosses workspaces.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, createToken, as, item, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let tokenA: string;
let tokenB: string;
beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server, 'Nord');
  const created = await t.server.inject({ method: 'POST', url: '/api/v1/workspaces', headers: as(owner), payload: { name: 'Süd Verkehr' } });
  expect(created.json()).toMatchObject({ slug: 'sud-verkehr' });
  tokenA = await createToken(t.server, owner, 'manager', 'nord');
  tokenB = await createToken(t.server, owner, 'manager', 'sud-verkehr');
});
afterAll(() => t?.close());

const get = (url: string, token: string, headers: Record<string, string> = {}) => t.server.inject({ url, headers: { authorization: `Bearer ${token}`, ...headers } });

describe('workspace isolation', () => {
  it('keeps the same platform id in two workspaces as two items, each visible only in its own', async () => {
    await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${tokenA}` }, payload: item(1, { text: 'nur Nord' }) });
    await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${tokenB}` }, payload: item(1, { text: 'nur Süd' }) });
    const a = (await get('/api/v1/items', tokenA)).json().items;
    const b = (await get('/api/v1/items', tokenB)).json().items;
    expect(a.map((i: any) => i.text)).toEqual(['nur Nord']);
    expect(b.map((i: any) => i.text)).toEqual(['nur Süd']);
    expect((await get(`/api/v1/items/${b[0].id}`, tokenA)).statusCode).toBe(404);
  });

  it('refuses a token asking for another workspace, and a member of one asking for the other', async () => {
    expect((await get('/api/v1/items', tokenA, { 'x-workspace': 'sud-verkehr' })).statusCode).toBe(403);
    const mod = await addMember(t.server, owner, 'mod@example.org', 'moderator', 'nord');
    expect((await t.server.inject({ url: '/api/v1/items', headers: as(mod, 'nord') })).statusCode).toBe(200);
    const other = await t.server.inject({ url: '/api/v1/items', headers: as(mod, 'sud-verkehr') });
    expect(other.statusCode).toBe(403);
    const me = (await t.server.inject({ url: '/api/v1/me', headers: { cookie: mod.cookie } })).json();
    expect(me.workspaces.map((w: any) => w.slug)).toEqual(['nord']);
  });

  it('lets only the installation owner create workspaces', async () => {
    const admin = await addMember(t.server, owner, 'admin@example.org', 'admin', 'nord');
    expect((await t.server.inject({ method: 'POST', url: '/api/v1/workspaces', headers: as(admin), payload: { name: 'Mine' } })).statusCode).toBe(403);
  });
});
