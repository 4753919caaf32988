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
