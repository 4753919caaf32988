// The inbox through its HTTP API: items grouped into conversations (also when replies arrive
// before their post), statuses and snooze, automatic assignment, two people closing at once,
// filters and German/English search with keyset paging, roles and workspace isolation.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { recomputeConversations } from '../../src/inbox/threading.js';
import { startTestApp, setupOwner, addMember, as, drain, item, type TestEnv, type Session, waitFor } from '../helpers.js';

let t: TestEnv;
let owner: Session;
let mia: Session;
let ben: Session;
let analyst: Session;
let trainee: Session;

const now = (offsetMs = 0) => new Date(Date.now() + offsetMs).toISOString();

async function send(rows: unknown[], who = owner) {
  const res = await t.server.inject({ method: 'POST', url: '/api/v1/items', headers: as(who), payload: rows });
  expect(res.statusCode, res.body).toBe(200);
}
const get = (url: string, who = owner) => t.server.inject({ method: 'GET', url: `/api/v1${url}`, headers: as(who) });
const post = (url: string, payload: unknown, who = owner) => t.server.inject({ method: 'POST', url: `/api/v1${url}`, headers: as(who), payload: payload as any });

async function list(query: string, who = owner) {
  const res = await get(`/inbox/conversations?${query}`, who);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().conversations as any[];
}
async function conversationOf(platformId: string, platform = 'mastodon') {
  const rows = await t.app.db.query<{ conversation_id: number }>(`select conversation_id from items where platform_id = $1 and platform = $2`, [platformId, platform]);
  expect(rows[0]?.conversation_id).toBeTruthy();
  return rows[0].conversation_id;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await setupOwner(t.server);
  mia = await addMember(t.server, owner, 'mia@example.org', 'moderator');
  ben = await addMember(t.server, owner, 'ben@example.org', 'moderator');
  analyst = await addMember(t.server, owner, 'ana@example.org', 'analyst');
  trainee = await addMember(t.server, owner, 'tim@example.org', 'trainee');
});
afterAll(async () => { await t?.close(); });

describe('threading', () => {
  it('puts a reply that arrives before its post, the post, and a reply to a reply into one conversation', async () => {
    // One base time for the thread: the order of its items must not depend on how long each send takes.
    const base = Date.now();
    const at = (offsetMs: number) => new Date(base + offsetMs).toISOString();
    await send([item(1, { platformId: 'c-2', kind: 'reply', threadId: 'p-1', parentId: 'p-1', text: 'Erste Antwort', createdAt: at(-3000) })]);
    const conv = await conversationOf('c-2');
    await send([item(2, { platformId: 'p-1', kind: 'post', threadId: null, parentId: null, text: 'Der Beitrag', createdAt: at(-5000) })]);
    // No thread id: follows its stored parent.
    await send([item(3, { platformId: 'c-3', kind: 'reply', threadId: null, parentId: 'c-2', text: 'Antwort auf die Antwort', createdAt: at(-1000) })]);
    expect(await conversationOf('p-1')).toBe(conv);
    expect(await conversationOf('c-3')).toBe(conv);
    await send([item(4, { platformId: 'other-1', threadId: 'p-9', createdAt: now() })]);
    expect(await conversationOf('other-1')).not.toBe(conv);

    const res = await get(`/inbox/conversations/${conv}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((i: any) => i.platformId)).toEqual(['p-1', 'c-2', 'c-3']);
    expect(body.root.platformId).toBe('p-1');
    expect(body.conversation.itemCount).toBe(3);
    expect(body.conversation.status).toBe('new');
  });

  it('shows earlier exchanges with the same person from other conversations', async () => {
    await send([item(70, { platformId: 'e-1', threadId: 'e-thread-1', author: { platformUserId: 'anna-1', handle: '@anna@social.example', displayName: 'Anna' }, text: 'Frühere Frage', createdAt: now(-60_000) })]);
    await send([item(71, { platformId: 'e-2', threadId: 'e-thread-2', author: { platformUserId: 'anna-1', handle: '@anna@social.example', displayName: 'Anna' }, text: 'Neue Frage', createdAt: now() })]);
    const res = await get(`/inbox/conversations/${await conversationOf('e-2')}`);
    expect(res.json().earlier.map((i: any) => i.text)).toEqual(['Frühere Frage']);
  });
});

describe('conversation figures', () => {
  it('adds new items up to the same counts and times as counting all items again', async () => {
    // 10 threads, replies in shuffled order and batches, some from the team's own account.
    const rows = Array.from({ length: 120 }, (_, n) => item(1000 + n, {
      platformId: `agg-${n}`, threadId: `agg-thread-${n % 10}`, kind: n < 10 ? 'post' : 'reply',
      author: n % 9 === 0 ? { handle: '@stadtwerke@social.example' } : { platformUserId: `m${n % 5}`, handle: `@m${n % 5}@social.example` },
      createdAt: new Date(Date.UTC(2026, 9, 1, 8, 0, (n * 37) % 120)).toISOString(),
    }));
    const conns = (await get('/connections')).json().connections;
    const mastodon = conns.find((c: any) => c.platform === 'mastodon');
    await t.server.inject({ method: 'PUT', url: `/api/v1/inbox/connections/${mastodon.id}/own-accounts`, headers: as(owner), payload: { accounts: ['@stadtwerke@social.example'] } });
    const shuffled = rows.map((r, i) => ({ r, k: (i * 7919) % 120 })).sort((a, b) => a.k - b.k).map((x) => x.r);
    for (let i = 0; i < shuffled.length; i += 17) await send(shuffled.slice(i, i + 17));
    const cols = `id, item_count, inbound_count, first_inbound_at, last_inbound_at, first_outbound_at, last_outbound_at, awaiting_since, last_item_at, last_item_id, root_item_id`;
    const q = `select ${cols} from conversations where thread_key like 'agg-thread-%' order by id`;
    const added = await t.app.db.query(q);
    expect(added).toHaveLength(10);
    expect(added.reduce((n: number, c: any) => n + c.item_count, 0)).toBe(120);
    await t.app.db.transaction((tx) => recomputeConversations(tx, added.map((c: any) => c.id)));
    expect(await t.app.db.query(q)).toEqual(added);
  });
});

describe('statuses and snooze', () => {
  it('reopens a done conversation when the member answers, but not for imported old history', async () => {
    await send([item(10, { platformId: 's-1', threadId: 's-thread', createdAt: now(-10_000) })]);
    const id = await conversationOf('s-1');
    const closed = await post(`/inbox/conversations/${id}/status`, { status: 'done' }, mia);
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json().conversation.status).toBe('done');

    await send([item(11, { platformId: 's-0', threadId: 's-thread', createdAt: now(-3_600_000) })]);
    expect((await get(`/inbox/conversations/${id}`)).json().conversation.status).toBe('done');

    await send([item(12, { platformId: 's-2', threadId: 's-thread', text: 'Hallo? Noch jemand da?', createdAt: now(1000) })]);
    const body = (await get(`/inbox/conversations/${id}`)).json();
    expect(body.conversation.status).toBe('open');
    expect(body.history.find((e: any) => e.type === 'inbox.status' && e.data.after === 'open').data.reason).toBe('member answered');
  });

  it('hides a snoozed conversation until the snooze ends, then reopens it', async () => {
    await send([item(20, { platformId: 'z-1', threadId: 'z-thread', createdAt: now(-5000) })]);
    const id = await conversationOf('z-1');
    const res = await post(`/inbox/conversations/${id}/status`, { status: 'waiting', snoozeUntil: now(2000) }, mia);
    expect(res.statusCode, res.body).toBe(200);
    expect((await list('')).some((c) => c.id === id)).toBe(false);
    expect((await list('status=snoozed')).some((c) => c.id === id)).toBe(true);
    const woken = await waitFor('the expected state', async () => {
      const c = (await get(`/inbox/conversations/${id}`)).json().conversation;
      return c.status === 'open' && c.snoozedUntil === null && c;
    });
    expect(woken.status).toBe('open');
    expect((await list('')).some((c) => c.id === id)).toBe(true);
  });

  it('refuses a snooze in the past and an unknown status, naming the field', async () => {
    const id = await conversationOf('z-1');
    const past = await post(`/inbox/conversations/${id}/status`, { status: 'waiting', snoozeUntil: now(-1000) }, mia);
    expect(past.statusCode).toBe(400);
    expect(past.json().error.message).toContain('snoozeUntil');
    const bad = await post(`/inbox/conversations/${id}/status`, { status: 'erledigt' }, mia);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('status');
  });

  it('lets two people close the same conversation at once: one change, one event', async () => {
    await send([item(30, { platformId: 'k-1', threadId: 'k-thread', createdAt: now(-5000) })]);
    const id = await conversationOf('k-1');
    for (let round = 0; round < 3; round++) {
      const [a, b] = await Promise.all([
        post(`/inbox/conversations/${id}/status`, { status: 'done' }, mia),
        post(`/inbox/conversations/${id}/status`, { status: 'done' }, ben),
      ]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      expect([a.json().changed, b.json().changed].filter(Boolean)).toHaveLength(1);
      expect(b.json().conversation.status).toBe('done');
      const reopened = await post(`/inbox/conversations/${id}/status`, { status: 'open' }, mia);
      expect(reopened.json().changed).toBe(true);
    }
    const events = await t.app.db.query<any>(`select data from events where conversation_id = $1 and type = 'inbox.status' order by id`, [id]);
    expect(events.map((e) => e.data.after)).toEqual(['done', 'open', 'done', 'open', 'done', 'open']);
    const [row] = await t.app.db.query<any>(`select status, version from conversations where id = $1`, [id]);
    expect(row).toEqual({ status: 'open', version: 6 });
  });

  it('counts the team\'s own platform account as outbound: the conversation waits on the member', async () => {
    const conns = (await get('/connections')).json().connections;
    const mastodon = conns.find((c: any) => c.platform === 'mastodon');
    const own = await t.server.inject({ method: 'PUT', url: `/api/v1/inbox/connections/${mastodon.id}/own-accounts`, headers: as(owner), payload: { accounts: ['@stadtwerke@social.example'] } });
    expect(own.statusCode, own.body).toBe(200);
    await send([item(40, { platformId: 'o-1', threadId: 'o-thread', text: 'Wann kommt der Bus?', createdAt: now(-5000) })]);
    const id = await conversationOf('o-1');
    await post(`/inbox/conversations/${id}/status`, { status: 'open' }, mia);
    await send([item(41, { platformId: 'o-2', threadId: 'o-thread', author: { handle: '@Stadtwerke@social.example', displayName: 'Stadtwerke' }, text: 'Um 8 Uhr!', createdAt: now(1000) })]);
    const body = (await get(`/inbox/conversations/${id}`)).json();
    expect(body.items.map((i: any) => i.direction)).toEqual(['inbound', 'outbound']);
    expect(body.conversation.status).toBe('waiting');
    expect(body.conversation.lastOutboundAt).not.toBeNull();
    expect(body.conversation.awaitingSince).toBeNull();
  });
});

describe('assignment', () => {
  it('assigns new conversations in turn (round-robin) and by load, per team and platform', async () => {
    const users = (await get('/inbox/people')).json().people;
    const miaId = users.find((u: any) => u.handle === 'mia').id;
    const benId = users.find((u: any) => u.handle === 'ben').id;
    const team = await post('/inbox/teams', { name: 'Bluesky-Team', autoAssign: 'round_robin', platforms: ['bluesky'], members: [miaId, benId] });
    expect(team.statusCode, team.body).toBe(201);
    await send([1, 2, 3, 4].map((n) => item(100 + n, { platform: 'bluesky', platformId: `b-${n}`, threadId: `b-thread-${n}`, createdAt: now(-n * 1000) })));
    const assigned = await Promise.all([1, 2, 3, 4].map(async (n) => (await get(`/inbox/conversations/${await conversationOf(`b-${n}`, 'bluesky')}`)).json().conversation));
    expect(assigned.every((c) => c.team?.id === team.json().id)).toBe(true);
    const counts = new Map<string, number>();
    assigned.forEach((c) => counts.set(c.assignee.id, (counts.get(c.assignee.id) ?? 0) + 1));
    expect([...counts.values()]).toEqual([2, 2]);
    // A mastodon thread is not this team's.
    await send([item(110, { platformId: 'm-x', threadId: 'm-x-thread', createdAt: now() })]);
    expect((await get(`/inbox/conversations/${await conversationOf('m-x')}`)).json().conversation.assignee).toBeNull();

    // Load-balanced: Mia closes hers, so the next ones go to her until both carry the same.
    await t.server.inject({ method: 'PUT', url: `/api/v1/inbox/teams/${team.json().id}`, headers: as(owner), payload: { name: 'Bluesky-Team', autoAssign: 'load_balanced', platforms: ['bluesky'], members: [miaId, benId] } });
    const miasIds = assigned.filter((c) => c.assignee.id === miaId).map((c) => c.id);
    expect((await post('/inbox/bulk', { action: 'close', ids: miasIds }, mia)).json().changed).toHaveLength(2);
    await send([5, 6].map((n) => item(100 + n, { platform: 'bluesky', platformId: `b-${n}`, threadId: `b-thread-${n}`, createdAt: now() })));
    for (const n of [5, 6]) {
      expect((await get(`/inbox/conversations/${await conversationOf(`b-${n}`, 'bluesky')}`)).json().conversation.assignee.id).toBe(miaId);
    }
    expect((await list('view=mine&platform=bluesky', mia)).map((c) => c.id).sort()).toEqual([await conversationOf('b-5', 'bluesky'), await conversationOf('b-6', 'bluesky')].sort());
    expect((await list('view=team&platform=bluesky', ben))).toHaveLength(4);
  });

  it('assigns by hand: to me, to a colleague, never to an analyst or a stranger', async () => {
    const id = await conversationOf('m-x');
    const me = await post(`/inbox/conversations/${id}/assign`, { me: true }, ben);
    expect(me.json().conversation.assignee.name).toBe('ben');
    expect((await list('view=unassigned&platform=mastodon')).some((c) => c.id === id)).toBe(false);
    const users = (await t.app.db.query<any>(`select id, email from users`));
    const ana = users.find((u) => u.email === 'ana@example.org').id;
    const bad = await post(`/inbox/conversations/${id}/assign`, { userId: ana }, ben);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('userId');
    const stranger = await post(`/inbox/conversations/${id}/assign`, { userId: '00000000-0000-4000-8000-000000000000' }, ben);
    expect(stranger.statusCode).toBe(400);
    const history = (await get(`/inbox/conversations/${id}`)).json().history;
    expect(history.filter((e: any) => e.type === 'inbox.assignment')).toHaveLength(1);
  });
});

describe('filters, search and paging', () => {
  beforeAll(async () => {
    await send([
      item(200, { platformId: 'f-de', threadId: 'f-de', text: 'Die neuen Fahrradwege führen ab Montag durch die Nordstadt.', createdAt: now(-4000) }),
      item(201, { platformId: 'f-en', threadId: 'f-en', text: 'The roadworks kept delaying the trams again this morning, any news?', createdAt: now(-3000) }),
      item(202, { platform: 'x', platformId: 'f-x', threadId: 'f-x', text: 'Wasserrohrbruch in der Hauptstraße', createdAt: now(-2000) }),
    ]);
    await drain(t.app);
  });

  it('finds German words by their stem and English words by theirs', async () => {
    const de = await list('q=Fahrradwegen');
    expect(de.map((c) => c.preview.text)).toEqual([expect.stringContaining('Fahrradwege')]);
    const en = await list('q=delayed');
    expect(en.map((c) => c.preview.text)).toEqual([expect.stringContaining('delaying')]);
    expect(await list('q=Straßenbahn')).toEqual([]);
  });

  it('filters by platform, language, label, assignee and date range', async () => {
    expect((await list('platform=x')).map((c) => c.platform)).toEqual(['x']);
    const english = await list('language=en');
    expect(english.length).toBeGreaterThan(0);
    expect(english.every((c) => c.language === 'en')).toBe(true);
    const id = await conversationOf('f-de');
    const labelled = await post(`/inbox/conversations/${id}/labels`, { add: ['ÖPNV', 'Lob'] }, mia);
    expect(labelled.json().conversation.labels).toEqual(['Lob', 'ÖPNV']);
    expect((await list('labels=ÖPNV')).map((c) => c.id)).toEqual([id]);
    expect((await post(`/inbox/conversations/${id}/priority`, { priority: 2 }, mia)).json().conversation.priority).toBe(2);
    expect((await post(`/inbox/conversations/${id}/priority`, { priority: 7 }, mia)).statusCode).toBe(400);
    expect((await list('priority=2')).map((c) => c.id)).toEqual([id]);
    expect((await list('labels=ÖPNV,Lob')).map((c) => c.id)).toEqual([id]);
    expect(await list('labels=ÖPNV,Kritik')).toEqual([]);
    expect((await get('/inbox/labels')).json().labels.map((l: any) => l.name)).toEqual(expect.arrayContaining(['ÖPNV', 'Lob']));
    await post(`/inbox/conversations/${id}/assign`, { me: true }, mia);
    expect((await list(`assignee=${(await list('view=mine', mia))[0].assignee.id}`)).some((c) => c.id === id)).toBe(true);
    expect((await list(`from=${encodeURIComponent(now(-3500))}&platform=mastodon`)).every((c) => Date.parse(c.lastItemAt) >= Date.now() - 60_000)).toBe(true);
    expect(await list(`to=${encodeURIComponent('2000-01-01T00:00:00Z')}`)).toEqual([]);
    const bad = await get('/inbox/conversations?status=offen');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain('status');
  });

  it('filters by moderation: conversations with a hidden item', async () => {
    const [it] = await t.app.db.query<any>(`select id from items where platform_id = 'f-x'`);
    const hide = await post(`/moderation/items/${it.id}/decision`, { decision: 'hide', reason: 'test' }, owner);
    expect(hide.statusCode, hide.body).toBe(200);
    expect((await list('flagged=true')).map((c) => c.platform)).toEqual(['x']);
    expect((await list('flagged=false')).some((c) => c.platform === 'x')).toBe(false);
  });

  it('pages with a cursor through every conversation once', async () => {
    const all = await list('status=new,open,waiting,done&limit=200');
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(`/inbox/conversations?status=new,open,waiting,done&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
      const body = res.json();
      seen.push(...body.conversations.map((c: any) => c.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.map((c) => c.id));
    expect(new Set(seen).size).toBe(seen.length);
    expect((await get('/inbox/conversations?cursor=nonsense')).statusCode).toBe(400);
  });

  it('keeps saved views per person, shared ones for managers only', async () => {
    const mine = await post('/inbox/views', { name: 'Meine ÖPNV', filters: { view: 'mine', labels: ['ÖPNV'] } }, mia);
    expect(mine.statusCode, mine.body).toBe(201);
    expect((await post('/inbox/views', { name: 'Alle X', filters: { platform: ['x'] }, shared: true }, mia)).statusCode).toBe(403);
    expect((await post('/inbox/views', { name: 'Alle X', filters: { platform: ['x'] }, shared: true }, owner)).statusCode).toBe(201);
    expect((await get('/inbox/views', mia)).json().views.map((v: any) => v.name)).toEqual(['Meine ÖPNV', 'Alle X']);
    expect((await get('/inbox/views', ben)).json().views.map((v: any) => v.name)).toEqual(['Alle X']);
    expect((await post('/inbox/views', { name: 'Kaputt', filters: { status: ['erledigt'] } }, mia)).statusCode).toBe(400);
  });
});

describe('roles and workspaces', () => {
  it('lets analysts read only and trainees write notes but not triage', async () => {
    const id = await conversationOf('f-de');
    expect((await get(`/inbox/conversations/${id}`, analyst)).statusCode).toBe(200);
    expect((await post(`/inbox/conversations/${id}/status`, { status: 'done' }, analyst)).statusCode).toBe(403);
    expect((await post(`/inbox/conversations/${id}/notes`, { text: 'Notiz' }, analyst)).statusCode).toBe(403);
    expect((await post(`/inbox/conversations/${id}/notes`, { text: 'Das sollte jemand prüfen' }, trainee)).statusCode).toBe(201);
    expect((await post(`/inbox/conversations/${id}/status`, { status: 'done' }, trainee)).statusCode).toBe(403);
    // A trainee's reply becomes a draft for a mentor (training, issue 8), never a direct send.
    const drafted = await post(`/inbox/conversations/${id}/replies`, { text: 'Hallo' }, trainee);
    expect(drafted.statusCode).toBe(202);
    expect(drafted.json().draft.state).toBe('pending');
    expect((await post('/inbox/bulk', { action: 'close', ids: [id] }, trainee)).statusCode).toBe(403);
    expect((await post('/inbox/teams', { name: 'X' }, mia)).statusCode).toBe(403);
  });

  it('keeps each workspace to itself', async () => {
    const ws = await post('/workspaces', { name: 'Zweiter Verein' });
    expect(ws.statusCode, ws.body).toBe(201);
    const other = { ...owner, workspace: ws.json().slug };
    const id = await conversationOf('f-de');
    expect((await get(`/inbox/conversations/${id}`, other)).statusCode).toBe(404);
    expect(await list('status=new,open,waiting,done', other)).toEqual([]);
    expect((await post('/inbox/bulk', { action: 'close', ids: [id] }, other)).json().changed).toEqual([]);
    expect((await post(`/inbox/conversations/${id}/status`, { status: 'done' }, other)).statusCode).toBe(404);
    expect((await get(`/inbox/conversations/${id}`, mia)).json().conversation.status).not.toBe('done');
  });
});
