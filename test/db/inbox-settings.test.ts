// Availability of team members (PUT /inbox/teams/:id/members/:userId/availability): managers
// only, fields named, and an away member gets no automatic assignments while the others do.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, addMember, as, drain, item, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let mod: Session;
let teamId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  mod = await addMember(t.server, owner, 'mod@example.org', 'moderator');
  await addMember(t.server, owner, 'kim@example.org', 'moderator');
  for (const p of (await t.server.inject({ method: 'GET', url: '/api/v1/inbox/people', headers: as(owner) })).json().people) ids[p.handle] = p.id;
  const r = await t.server.inject({ method: 'POST', url: '/api/v1/inbox/teams', headers: as(owner), payload: { name: 'Dialog', autoAssign: 'round_robin', members: [ids.mod, ids.kim] } });
  expect(r.statusCode, r.body).toBe(201);
  teamId = r.json().id;
}, 60_000);
afterAll(async () => { await t?.close(); });

const setAvailable = (who: Session, userId: string, body: unknown) =>
  t.server.inject({ method: 'PUT', url: `/api/v1/inbox/teams/${teamId}/members/${userId}/availability`, headers: as(who), payload: body as any });

describe('team member availability', () => {
  it('is for managers, names a bad field and refuses someone outside the team', async () => {
    expect((await setAvailable(mod, ids.kim, { available: false })).statusCode).toBe(403);
    const bad = await setAvailable(owner, ids.kim, { available: 'nein' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.fields[0]).toMatchObject({ field: 'available', code: 'invalid_type', expected: 'boolean' });
    expect((await setAvailable(owner, ids.owner, { available: false })).statusCode).toBe(404);
  });

  it('skips an away member in round robin', async () => {
    expect((await setAvailable(owner, ids.kim, { available: false })).statusCode).toBe(200);
    const team = (await t.server.inject({ method: 'GET', url: '/api/v1/inbox/teams', headers: as(owner) })).json().teams[0];
    expect(team.members.find((m: any) => m.id === ids.kim).available).toBe(false);
    const post = (n: number) => t.server.inject({ method: 'POST', url: '/api/v1/items', headers: as(owner),
      payload: [item(n, { threadId: `t-${n}`, author: { platformUserId: `p${n}`, handle: `@p${n}@social.example`, displayName: `P ${n}` }, createdAt: new Date().toISOString() })] });
    for (const n of [1, 2, 3]) expect((await post(n)).statusCode).toBe(200);
    await drain(t.app);
    const assignees = async () => (await t.app.db.query<{ email: string }>(
      `select u.email from conversations c join users u on u.id = c.assignee_user_id order by c.id`)).map((r) => r.email);
    await expect.poll(assignees, { timeout: 15_000 }).toEqual(['mod@example.org', 'mod@example.org', 'mod@example.org']);

    expect((await setAvailable(owner, ids.kim, { available: true })).statusCode).toBe(200);
    for (const n of [4, 5]) expect((await post(n)).statusCode).toBe(200);
    await drain(t.app);
    // kim waited longest (never assigned), so she is next, then mod.
    await expect.poll(async () => (await assignees()).slice(3), { timeout: 15_000 }).toEqual(['kim@example.org', 'mod@example.org']);
  });
});

describe('deleting teams and labels', () => {
  const labelOf = (id: number, body: unknown) => t.server.inject({ method: 'POST', url: `/api/v1/inbox/conversations/${id}/labels`, headers: as(owner), payload: body as any });

  it('removes a label from its conversations, each with an event, and refuses while an SLA policy uses it', async () => {
    const convs = (await t.app.db.query<{ id: number }>(`select id from conversations order by id limit 2`)).map((r) => r.id);
    for (const name of ['Strompreis', 'Presse']) expect((await t.server.inject({ method: 'POST', url: '/api/v1/inbox/labels', headers: as(owner), payload: { name } })).statusCode).toBe(200);
    for (const id of convs) expect((await labelOf(id, { add: ['Strompreis', 'Presse'] })).statusCode).toBe(200);
    const policy = await t.server.inject({ method: 'PUT', url: '/api/v1/sla/policies', headers: as(owner),
      payload: { policies: [{ name: 'Presse zuerst', labels: ['Presse'], firstResponseMinutes: 30 }] } });
    expect(policy.statusCode, policy.body).toBe(200);

    expect((await t.server.inject({ method: 'DELETE', url: '/api/v1/inbox/labels/Strompreis', headers: as(mod) })).statusCode).toBe(403);
    const refused = await t.server.inject({ method: 'DELETE', url: '/api/v1/inbox/labels/Presse', headers: as(owner) });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.policies).toEqual(['Presse zuerst']);

    const gone = await t.server.inject({ method: 'DELETE', url: '/api/v1/inbox/labels/Strompreis', headers: as(owner) });
    expect(gone.statusCode, gone.body).toBe(200);
    expect(gone.json().conversations).toBe(2);
    const rows = await t.app.db.query<{ labels: string[] }>(`select labels from conversations where id = any($1::bigint[]) order by id`, [convs]);
    expect(rows.map((r) => r.labels)).toEqual([['Presse'], ['Presse']]);
    const events = await t.app.db.query<{ data: any }>(`select data from events where type = 'inbox.labels' and conversation_id = $1 order by id desc limit 1`, [convs[0]]);
    expect(events[0].data).toMatchObject({ before: ['Presse', 'Strompreis'], after: ['Presse'], reason: 'label "Strompreis" deleted' });
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/inbox/labels', headers: as(owner) })).json().labels.map((l: any) => l.name)).toEqual(['Presse']);
    expect((await t.server.inject({ method: 'DELETE', url: '/api/v1/inbox/labels/Strompreis', headers: as(owner) })).statusCode).toBe(404);
  });

  it('takes a deleted team off its conversations with an event and keeps their assignees', async () => {
    const [conv] = await t.app.db.query<{ id: number; assignee_user_id: string }>(`select id, assignee_user_id from conversations where team_id = $1 order by id limit 1`, [teamId]);
    expect(conv).toBeDefined();
    const res = await t.server.inject({ method: 'DELETE', url: `/api/v1/inbox/teams/${teamId}`, headers: as(owner) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().conversations).toBeGreaterThan(0);
    const [after] = await t.app.db.query<{ team_id: string | null; assignee_user_id: string }>(`select team_id, assignee_user_id from conversations where id = $1`, [conv.id]);
    expect(after).toEqual({ team_id: null, assignee_user_id: conv.assignee_user_id });
    const [ev] = await t.app.db.query<{ data: any }>(`select data from events where type = 'inbox.assignment' and conversation_id = $1 order by id desc limit 1`, [conv.id]);
    expect(ev.data.after).toEqual({ userId: conv.assignee_user_id, teamId: null });
    expect((await t.server.inject({ method: 'GET', url: '/api/v1/inbox/teams', headers: as(owner) })).json().teams).toEqual([]);
    const [removed] = await t.app.db.query<{ data: any }>(`select data from events where type = 'inbox.team_deleted'`);
    expect(removed.data).toMatchObject({ name: 'Dialog', teamId });
  });
});
