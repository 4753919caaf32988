// The generic signed webhook: signature, replay window, delivery ids.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, item, type TestEnv } from '../helpers.js';
import { signPayload } from '../../src/connectors/signature.js';

let t: TestEnv;
let hook: { id: string; webhookUrl: string; webhookSecret: string };
beforeAll(async () => {
  t = await startTestApp();
  const owner = await setupOwner(t.server);
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/connections', headers: as(owner), payload: { platform: 'forum', name: 'Stadtforum' } });
  expect(res.statusCode).toBe(201);
  hook = res.json();
});
afterAll(() => t?.close());

function send(body: string, opts: { secret?: string; ts?: number; delivery?: string } = {}) {
  const ts = opts.ts ?? Math.floor(Date.now() / 1000);
  return t.server.inject({
    method: 'POST', url: hook.webhookUrl, payload: body,
    headers: {
      'content-type': 'application/json', 'x-allmende-timestamp': String(ts),
      'x-allmende-signature': signPayload(opts.secret ?? hook.webhookSecret, ts, body),
      ...(opts.delivery ? { 'x-allmende-delivery': opts.delivery } : {}),
    },
  });
}

describe('signed webhook', () => {
  it('stores items under its connection, whatever platform the rows claim', async () => {
    const res = await send(JSON.stringify([{ ...item(1), platform: 'x' }, item(2)]), { delivery: 'd-1' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ created: 2 });
    const rows = await t.app.db.query<any>('select platform, connection_id from items');
    expect(rows).toEqual([{ platform: 'forum', connection_id: hook.id }, { platform: 'forum', connection_id: hook.id }]);
  });

  it('refuses a wrong signature, a stale timestamp, a replayed delivery and an unknown connection', async () => {
    const body = JSON.stringify(item(3));
    expect((await send(body, { secret: 'guessed' })).statusCode).toBe(401);
    const stale = await send(body, { ts: Math.floor(Date.now() / 1000) - 301 });
    expect(stale.statusCode).toBe(401);
    expect(stale.json().error.message).toMatch(/replay window/);
    expect((await send(body, { delivery: 'd-1' })).statusCode).toBe(409);
    const tampered = await t.server.inject({ method: 'POST', url: hook.webhookUrl, payload: JSON.stringify(item(4)), headers: {
      'content-type': 'application/json', 'x-allmende-timestamp': String(Math.floor(Date.now() / 1000)),
      'x-allmende-signature': signPayload(hook.webhookSecret, Math.floor(Date.now() / 1000), body) } });
    expect(tampered.statusCode).toBe(401);
    const unknown = await t.server.inject({ method: 'POST', url: '/api/v1/webhooks/00000000-0000-4000-8000-000000000000', payload: body, headers: { 'content-type': 'application/json' } });
    expect(unknown.statusCode).toBe(401);
    expect((await t.app.db.query<any>('select count(*)::int as n from items'))[0].n).toBe(2);
  });

  it('stores the webhook secret encrypted', async () => {
    const [c] = await t.app.db.query<any>('select secret_encrypted from connections where id = $1', [hook.id]);
    expect(c.secret_encrypted).toMatch(/^v1\./);
    expect(c.secret_encrypted).not.toContain(hook.webhookSecret);
  });
});
