// Community figures through the API on a small fixture whose figures are worked out by hand
// below: the commons ratio and its weekly trend, interactions (replies, mentions, quotes),
// connectors, newcomer activation, retention by cohort, the platform filter and the graph view.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startTestApp, setupOwner, as, item, drain, type TestEnv, type Session } from '../helpers.js';

let t: TestEnv;
let owner: Session;
const get = (url: string) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(owner) });
const post = (url: string, payload: unknown) => t.server.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(owner), payload: payload as any });
const put = (url: string, payload: unknown) => t.server.inject({ method: 'PUT', url: `/api/v1${url}`, headers: as(owner), payload: payload as any });

const who = (name: string) => ({ platformUserId: `id-${name}`, handle: `@${name}@social.example`, displayName: name[0].toUpperCase() + name.slice(1) });
const team = { platformUserId: 'id-stadtwerke', handle: '@stadtwerke@social.example', displayName: 'Stadtwerke' };
const fb = (name: string) => ({ platformUserId: `fb-${name}`, handle: name, displayName: name });
const PERIOD = 'from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z';

// Mastodon (Monday 2 November 2026 starts a week):
//   e0  emil  10 Oct  post (before the period: emil is no newcomer)
//   p1  anna  2 Nov 10:00 post                  anna's first item
//   r1  ben   2 Nov 11:00 reply to p1           ben→anna, member↔member; ben's first item
//   r2  team  2 Nov 12:00 reply to p1           team→anna, with the team
//   r3  anna  2 Nov 13:00 reply to r1           anna→ben, member↔member
//   p2  cara  5 Nov 09:00 post                  cara's first item, nobody answers
//   q1  cara  5 Nov 15:00 links to p1's page    cara quotes anna (same day: cara did not "come back")
//   r4  emil  6 Nov 08:00 reply to r2           emil→team, with the team
//   r5  anna  6 Nov 09:00 reply to p1           her own post: left out
//   m1  dora  10 Nov 09:00 mentions @ben        dora→ben mention; dora's first item, no answer
//   r6  dora  10 Nov 18:00 reply to e0          dora→emil, member↔member (less than a day: no comeback)
//   p3  anna  20 Nov post                       anna came back (18 days after her first item)
//   b2  ben   10 Dec post                       38 days after ben's first item: too late, and after the period
// Facebook:
//   f1  fritz 3 Nov post; f2 greta 3 Nov reply to f1 (greta→fritz, member↔member)
// Replies between two people: r1, r3, r6 (+ f2) member↔member; r2, r4 with the team.
//   commons ratio all platforms 4 / 6; mastodon 3 / 5.
// Newcomers (mastodon): anna, ben, cara, dora = 4; answered: anna (by ben and the team), ben (by
//   anna) = 2, both by members; returned: anna = 1. All platforms add fritz (answered by greta) and
//   greta (not answered): 6, 3, 1.
// Member graph (mastodon): cara–anna–ben–dora–emil, a path: ben is between 4 of the 6 pairs
//   without him (4/6), anna and dora between 3 (3/6), the ends none.
const mastodon = [
  item(1, { platformId: 'e0', threadId: 'E', author: who('emil'), text: 'Der Hafen wird umgebaut, weiß jemand mehr?', createdAt: '2026-10-10T10:00:00Z' }),
  item(2, { platformId: 'p1', threadId: 'P', author: who('anna'), text: 'Kommt die neue Buslinie nach Nordstadt?', permalink: 'https://social.example/@anna/p1', createdAt: '2026-11-02T10:00:00Z' }),
  item(3, { platformId: 'r1', threadId: 'P', parentId: 'p1', author: who('ben'), text: 'Ja, ab Januar fährt die Linie 7.', createdAt: '2026-11-02T11:00:00Z' }),
  item(4, { platformId: 'r2', threadId: 'P', parentId: 'p1', author: team, text: 'Richtig, ab dem 4. Januar.', createdAt: '2026-11-02T12:00:00Z' }),
  item(5, { platformId: 'r3', threadId: 'P', parentId: 'r1', author: who('anna'), text: 'Danke dir!', createdAt: '2026-11-02T13:00:00Z' }),
  item(6, { platformId: 'p2', threadId: 'C', author: who('cara'), text: 'Wo gibt es die neuen Fahrpläne?', createdAt: '2026-11-05T09:00:00Z' }),
  item(7, { platformId: 'q1', threadId: 'Q', author: who('cara'), text: 'Siehe auch https://social.example/@anna/p1', createdAt: '2026-11-05T15:00:00Z' }),
  item(8, { platformId: 'r4', threadId: 'P', parentId: 'r2', author: who('emil'), text: 'Und fährt sie auch am Wochenende?', createdAt: '2026-11-06T08:00:00Z' }),
  item(9, { platformId: 'r5', threadId: 'P', parentId: 'p1', author: who('anna'), text: 'Nachtrag: auch nach Südstadt?', createdAt: '2026-11-06T09:00:00Z' }),
  item(10, { platformId: 'm1', threadId: 'M', author: who('dora'), text: 'Danke @ben@social.example für den Tipp mit der Linie!', createdAt: '2026-11-10T09:00:00Z' }),
  item(11, { platformId: 'r6', threadId: 'E', parentId: 'e0', author: who('dora'), text: 'Der Umbau dauert bis zum Sommer.', createdAt: '2026-11-10T18:00:00Z' }),
  item(12, { platformId: 'p3', threadId: 'A', author: who('anna'), text: 'Die Linie 7 ist jetzt im Fahrplan.', createdAt: '2026-11-20T10:00:00Z' }),
  item(13, { platformId: 'b2', threadId: 'B', author: who('ben'), text: 'Erste Fahrt mit der Linie 7!', createdAt: '2026-12-10T10:00:00Z' }),
];
// Two groups in June 2025 that only talk among themselves, on the forum: three people about the
// new bus lines (German), three about the swimming pool (English). Each is a cluster, and its
// terms are the stems only it uses: "Buslinie"/"Buslinien" count as one ("buslini").
const forumAt = (day: number, hour: number) => `2025-06-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00Z`;
const busTexts = ['Die neuen Buslinien fahren ab Montag durch die Nordstadt.', 'Die Buslinie 7 hält jetzt auch am Marktplatz, sehr praktisch.', 'Ich finde die neuen Buslinien gut, endlich fährt ein Bus am Abend.', 'Hat jemand den neuen Fahrplan der Buslinie schon gesehen?'];
const poolTexts = ['The swimming pool opens again next week after the repairs.', 'Is the swimming pool heated now? Last summer the water was cold.', 'The outdoor swimming pool has longer opening hours this year.', 'I love the new slide at the swimming pool, my kids too.'];
const group = (names: string[], texts: string[], tag: string, day: number) => names.flatMap((n, i) => [0, 1, 2, 3].map((k) => item(100 + day * 20 + i * 4 + k, {
  platform: 'forum', platformId: `${tag}-${i}-${k}`, threadId: tag, author: fb(n),
  parentId: i === 0 && k === 0 ? undefined : i > 0 && k === 0 ? `${tag}-${i - 1}-0` : `${tag}-${(i + 1) % names.length}-${k - 1}`,
  text: texts[(i + k) % texts.length], createdAt: forumAt(day + k, 8 + i),
})));
const forum = [...group(['hanna', 'ida', 'jonas'], busTexts, 'bus', 2), ...group(['kim', 'lea', 'mo'], poolTexts, 'pool', 10)];

const facebook = [
  item(14, { platform: 'facebook', platformId: 'f1', threadId: 'F', author: fb('fritz'), text: 'Wann öffnet das Freibad?', createdAt: '2026-11-03T10:00:00Z' }),
  item(15, { platform: 'facebook', platformId: 'f2', threadId: 'F', parentId: 'f1', author: fb('greta'), text: 'Am 1. Mai, wie jedes Jahr.', createdAt: '2026-11-03T11:00:00Z' }),
];

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  const seed = await post('/items', [mastodon[0]]);
  expect(seed.statusCode, seed.body).toBe(200);
  const [conn] = (await get('/connections')).json().connections;
  expect((await put(`/inbox/connections/${conn.id}/own-accounts`, { accounts: [team.platformUserId] })).statusCode).toBe(200);
  const rest = await post('/items', [...mastodon.slice(1), ...facebook, ...forum]);
  expect(rest.statusCode, rest.body).toBe(200);
  await drain(t.app);
});
afterAll(async () => { await t?.close(); });

describe('community figures', () => {
  it('match the figures worked out by hand on mastodon', async () => {
    const res = await get(`/commons/figures?${PERIOD}&platforms=mastodon`);
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.persons).toBe(5);
    expect(f.interactions).toEqual({ reply: 5, mention: 1, quote: 1 });
    expect(f.commons).toMatchObject({ memberToMember: 3, withTeam: 2, ratio: 3 / 5 });
    expect(f.commons.trend).toEqual([
      { week: '2026-11-02', memberToMember: 2, withTeam: 2, ratio: 0.5 },
      { week: '2026-11-09', memberToMember: 1, withTeam: 0, ratio: 1 },
    ]);
    expect(f.newcomers).toEqual({ count: 4, answered: 2, answeredByMembers: 2, returned: 1, answeredShare: 0.5, returnedShare: 0.25 });
    expect(f.retention).toEqual([
      { month: '2026-10', size: 1, active: [1, 1] },
      { month: '2026-11', size: 4, active: [4] },
    ]);
    const byName = Object.fromEntries(f.connectors.map((c: any) => [c.name, c.betweenness]));
    expect(f.connectors[0].name).toBe('Ben');
    expect(byName.Ben).toBeCloseTo(4 / 6, 10);
    expect(byName.Anna).toBeCloseTo(3 / 6, 10);
    expect(byName.Dora).toBeCloseTo(3 / 6, 10);
    expect(byName.Cara).toBeUndefined();
  });

  it('count every platform without a filter', async () => {
    const f = (await get(`/commons/figures?${PERIOD}`)).json();
    expect(f.persons).toBe(7);
    expect(f.commons).toMatchObject({ memberToMember: 4, withTeam: 2, ratio: 4 / 6 });
    expect(f.newcomers).toMatchObject({ count: 6, answered: 3, answeredByMembers: 3, returned: 1 });
  });

  it('give the graph over persons with the team as one node', async () => {
    const res = await get(`/commons/graph?${PERIOD}&platforms=mastodon`);
    expect(res.statusCode, res.body).toBe(200);
    const g = res.json();
    expect(g.nodes).toHaveLength(6);
    expect(g.nodes[0]).toMatchObject({ team: true });
    const name = (i: number) => g.nodes[i].name ?? 'team';
    const pairs = g.edges.map(([a, b, w, withTeam]: number[]) => `${[name(a), name(b)].sort().join('-')}:${w}:${withTeam}`).sort();
    expect(pairs).toEqual(['Anna-Ben:2:0', 'Anna-Cara:1:0', 'Anna-team:1:1', 'Ben-Dora:1:0', 'Dora-Emil:1:0', 'Emil-team:1:1']);
    // The people the view links to are the people helper's persons.
    const anna = g.nodes.find((n: any) => n.name === 'Anna');
    const [row] = await t.app.db.query<{ display_name: string }>(`select display_name from persons where id = $1`, [anna.id]);
    expect(row.display_name).toBe('Anna');
  });

  it('find the two groups of the forum and what each talks about', async () => {
    const res = await get('/commons/figures?from=2025-06-01T00:00:00Z&to=2025-07-01T00:00:00Z&platforms=forum');
    expect(res.statusCode, res.body).toBe(200);
    const f = res.json();
    expect(f.persons).toBe(6);
    expect(f.commons.ratio).toBe(1);
    expect(f.clusters.count).toBe(2);
    const members = f.clusters.described.map((c: any) => c.members.map((m: any) => m.name).sort().join(','));
    expect(members.sort()).toEqual(['Hanna,Ida,Jonas'.toLowerCase(), 'Kim,Lea,Mo'.toLowerCase()]);
    const terms = Object.fromEntries(f.clusters.described.map((c: any) => [c.members[0].name, c.terms.map((x: any) => x.term)]));
    const bus = Object.entries(terms).find(([name]) => ['hanna', 'ida', 'jonas'].includes(name))![1] as string[];
    const pool = Object.entries(terms).find(([name]) => ['kim', 'lea', 'mo'].includes(name))![1] as string[];
    expect(bus).toContain('buslini');
    expect(pool).toContain('swim');
    expect(bus).not.toContain('swim');
    expect(pool).not.toContain('buslini');
  });

  it('refuse a bad period or platform, naming the field', async () => {
    const backwards = await get('/commons/figures?from=2026-12-01T00:00:00Z&to=2026-11-01T00:00:00Z');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.message).toMatch(/from/);
    const platform = await get('/commons/figures?platforms=myspace');
    expect(platform.statusCode).toBe(400);
    expect(platform.json().error.message).toMatch(/platforms/);
    const long = await get('/commons/figures?from=2024-01-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(long.statusCode).toBe(400);
  });

  it('keep one analysis per period for figures and graph, and say when it was computed', async () => {
    const period = 'from=2026-11-02T00:00:00Z&to=2026-11-20T00:00:00Z&platforms=mastodon';
    const before = Date.now();
    // Asked at once, as the page does: one computation serves both.
    const [figures, graph] = await Promise.all([get(`/commons/figures?${period}`), get(`/commons/graph?${period}`)]);
    expect(figures.statusCode).toBe(200);
    expect(graph.statusCode).toBe(200);
    const at = figures.json().computedAt;
    expect(Date.parse(at)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(at)).toBeLessThanOrEqual(Date.now());
    expect(graph.json().computedAt).toBe(at);
    // A second visit gets the kept analysis: same time, same figures (even the timings).
    const again = await get(`/commons/figures?${period}`);
    expect(again.json()).toEqual(figures.json());
  });
});
