// Accounts, sessions, CSRF, the login rate limit, and what each role is refused.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, createToken, as, item, sessionCookie, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
});
afterAll(() => t?.close());

describe('first run and login', () => {
  it('creates the owner once, with an HTTP-only SameSite session cookie', async () => {
    const again = await t.server.inject({ method: 'POST', url: '/api/v1/setup', payload: { email: 'x@example.org', name: 'X', password: 'another long password', workspaceName: 'X' } });
    expect(again.statusCode).toBe(409);
    expect((await t.server.inject({ url: '/api/v1/setup' })).json()).toEqual({ needsOwner: false });
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'OWNER@example.org ', password: 'correct horse battery' } });
    expect(res.statusCode).toBe(200);
    const header = [res.headers['set-cookie']].flat().join(';');
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    const stored = await t.app.db.query<any>(`select password_hash from users where email = 'owner@example.org'`);
    expect(stored[0].password_hash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a wrong password, then rate-limits after five failures', async () => {
    const attempt = (password: string, ip = '10.0.0.9') => t.server.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email: 'owner@example.org', password } });
    for (let i = 0; i < 5; i++) expect((await attempt('wrong password!')).statusCode).toBe(401);
    const limited = await attempt('correct horse battery');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.details.retryAfterSeconds).toBeGreaterThan(0);
    // The limit holds per e-mail, also from another address.
    expect((await attempt('correct horse battery', '10.0.0.10')).statusCode).toBe(429);
    await t.app.db.query('delete from login_failures');
  });

  it('demands the CSRF token on state-changing requests of a browser session', async () => {
    const without = await t.server.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: owner.cookie }, payload: { locale: 'de' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf');
    const wrong = await t.server.inject({ method: 'PATCH', url: '/api/v1/me', headers: { cookie: owner.cookie, 'x-csrf-token': 'csrf_forged' }, payload: { locale: 'de' } });
    expect(wrong.statusCode).toBe(403);
    const right = await t.server.inject({ method: 'PATCH', url: '/api/v1/me', headers: as(owner), payload: { locale: 'de' } });
    expect(right.statusCode).toBe(200);
    expect((await t.server.inject({ url: '/api/v1/me', headers: { cookie: owner.cookie } })).json().user.locale).toBe('de');
  });

  it('ends the session on logout', async () => {
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'owner@example.org', password: 'correct horse battery' } });
    const cookie = sessionCookie(res.headers['set-cookie']);
    const me = (await t.server.inject({ url: '/api/v1/me', headers: { cookie } })).json();
    expect((await t.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': me.csrfToken } })).statusCode).toBe(200);
    expect((await t.server.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(401);
  });
});

describe('roles', () => {
  let trainee: Session;
  let analyst: Session;
  beforeAll(async () => {
    trainee = await addMember(t.server, owner, 'trainee@example.org', 'trainee');
    analyst = await addMember(t.server, owner, 'analyst@example.org', 'analyst');
  });

  const refused = [
    { name: 'send items', method: 'POST', url: '/api/v1/items', payload: item(1) },
    { name: 'create API tokens', method: 'POST', url: '/api/v1/tokens', payload: { name: 'x', role: 'analyst' } },
    { name: 'add members', method: 'POST', url: '/api/v1/members', payload: { email: 'n@example.org', name: 'n', role: 'moderator', password: 'a long enough password' } },
    { name: 'create connections', method: 'POST', url: '/api/v1/connections', payload: { platform: 'email', name: 'Postfach' } },
    { name: 'list members', method: 'GET', url: '/api/v1/members' },
  ] as const;

  for (const r of refused) {
    it(`refuses a trainee and an analyst to ${r.name}`, async () => {
      for (const s of [trainee, analyst]) {
        const res = await t.server.inject({ method: r.method, url: r.url, headers: as(s), ...('payload' in r ? { payload: r.payload } : {}) });
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('forbidden');
      }
    });
  }

  it('lets both read items, and an analyst token reads but cannot write', async () => {
    for (const s of [trainee, analyst]) expect((await t.server.inject({ url: '/api/v1/items', headers: as(s) })).statusCode).toBe(200);
    const token = await createToken(t.server, owner, 'analyst');
    expect((await t.server.inject({ url: '/api/v1/items', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
    expect((await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: { authorization: `Bearer ${token}` }, payload: item(1) })).statusCode).toBe(403);
  });

  it('refuses a token with more rights than its creator and revokes tokens', async () => {
    const admin = await addMember(t.server, owner, 'admin@example.org', 'admin');
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/tokens', headers: as(admin), payload: { name: 'x', role: 'owner' } });
    expect(res.statusCode).toBe(400);
    const created = (await t.server.inject({ method: 'POST', url: '/api/v1/tokens', headers: as(admin), payload: { name: 'feed', role: 'manager' } })).json();
    expect((await t.server.inject({ method: 'DELETE', url: `/api/v1/tokens/${created.id}`, headers: as(admin) })).statusCode).toBe(200);
    expect((await t.server.inject({ url: '/api/v1/items', headers: { authorization: `Bearer ${created.token}` } })).statusCode).toBe(401);
  });

  it('has every API route declare the access it needs', async () => {
    const { buildServer } = await import('../../src/http/server.js');
    const s = await buildServer(t.app, { logger: false });
    await expect(s.register(async (r) => { r.get('/api/v1/undeclared', async () => 'x'); }).ready()).rejects.toThrow(/does not declare the access/);
  });
});

describe('API documentation and health', () => {
  it('serves the OpenAPI document and health endpoints', async () => {
    const doc = (await t.server.inject({ url: '/api/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/items');
    expect((await t.server.inject({ url: '/health' })).json()).toEqual({ status: 'ok' });
    expect((await t.server.inject({ url: '/ready' })).json()).toMatchObject({ status: 'ready' });
  });
});
