// Bluesky end to end against a real local AT Protocol network from @atproto/dev-env (PLC, PDS,
// AppView, Ozone in this process, on the local PostgreSQL server): Allmende reads the brand's
// notifications, the moderation rules hide a threat in the brand's thread on the network, and
// replies, mutes, blocks and reports made in Allmende arrive there.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { TestNetwork } from '@atproto/dev-env';
import { AtpAgent } from '@atproto/api';
import { startTestApp, setupOwner, as, drain, SERVER_URL, type TestEnv, type Session, waitFor } from '../helpers.js';

const dbName = `allmende_atp_${randomBytes(5).toString('hex')}`;
let net: TestNetwork;
let t: TestEnv;
let owner: Session;
let brand: AtpAgent;
let anna: AtpAgent;
let brandPost: { uri: string; cid: string };
let connectionId: string;
let brandAppPassword: string;


async function account(handle: string): Promise<AtpAgent> {
  const a = new AtpAgent({ service: net.pds.url });
  await a.createAccount({ email: `${handle.split('.')[0]}@example.org`, handle, password: `pw-${handle}-${randomBytes(4).toString('hex')}` });
  return a;
}

const pollNow = () => t.server.inject({ method: 'POST', url: `/api/v1/connections/${connectionId}/poll`, headers: as(owner) });
const itemByPlatformId = async (platformId: string) =>
  (await t.app.db.query<any>('select id, kind, text, thread_id, parent_id, author_handle, permalink, moderation from items where platform_id = $1', [platformId]))[0];
const actionsOf = (itemId: number, type: string) => t.app.db.query<any>('select state, result, last_error from actions where item_id = $1 and type = $2', [itemId, type]);
async function addAction(itemId: number, type: string, payload: unknown = {}) {
  const [ws] = await t.app.db.query<{ workspace_id: string }>('select workspace_id from items where id = $1', [itemId]);
  // The inbox and the moderation desk put actions into the outbox like this.
  await t.app.db.query(`insert into actions (workspace_id, item_id, connection_id, type, payload) values ($1, $2, $3, $4, $5)`, [ws.workspace_id, itemId, connectionId, type, JSON.stringify(payload)]);
}
async function actionDone(itemId: number, type: string) {
  return waitFor(`${type} action done`, async () => {
    const [a] = await actionsOf(itemId, type);
    if (a?.state === 'failed' || a?.state === 'unsupported') throw new Error(`${type}: ${a.state} ${a.last_error ?? JSON.stringify(a.result)}`);
    return a?.state === 'done' ? a : null;
  });
}

beforeAll(async () => {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${dbName}`;
  // The AppView wants a Redis host name; nothing here uses Redis.
  process.env.REDIS_HOST ??= '127.0.0.1';
  net = await TestNetwork.create({ dbPostgresUrl: url.toString(), dbPostgresSchema: 'atp' });
  brand = await account('stadtwerke.test');
  anna = await account('anna.test');
  brandAppPassword = (await brand.com.atproto.server.createAppPassword({ name: 'allmende' })).data.password;
  brandPost = await brand.post({ text: 'Ab Montag fährt die Linie 5 wieder. Fragen?' });
  await net.processAll();

  t = await startTestApp();
  owner = await setupOwner(t.server);
  const rules = 'rule "Drohungen verbergen"\n  when words.threat >= 1\n  then hide\n  reason "Drohung"\n';
  expect((await t.server.inject({ method: 'PUT', url: '/api/v1/moderation/rules', headers: as(owner), payload: { source: rules } })).statusCode).toBe(200);
});

afterAll(async () => {
  await t?.close();
  await net?.close();
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.end();
});

describe('Bluesky connector against a local AT Protocol network', () => {
  it('refuses bad settings and wrong credentials, naming the field, and stores nothing', async () => {
    const bad = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/bluesky/connections', headers: as(owner), payload: { name: 'x', settings: { service: 'ftp://x', identifier: 'stadtwerke.test' }, credentials: { appPassword: 'y' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^settings\.service/);
    const wrong = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/bluesky/connections', headers: as(owner), payload: { name: 'x', settings: { service: net.pds.url, identifier: 'stadtwerke.test' }, credentials: { appPassword: 'wrong-password' } } });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.code).toBe('credentials_refused');
    const [{ n }] = await t.app.db.query<{ n: number }>(`select count(*)::int as n from connections where platform = 'bluesky'`);
    expect(n).toBe(0);
  });

  it('connects the brand account; the app password is stored encrypted and never returned', async () => {
    const res = await t.server.inject({
      method: 'POST', url: '/api/v1/connectors/bluesky/connections', headers: as(owner),
      payload: { name: 'Stadtwerke', settings: { service: net.pds.url, identifier: 'stadtwerke.test', moderationService: net.ozone.ctx.cfg.service.did }, credentials: { appPassword: brandAppPassword } },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().account).toBe('@stadtwerke.test');
    connectionId = res.json().id;
    const [row] = await t.app.db.query<any>('select credentials_encrypted from connections where id = $1', [connectionId]);
    expect(row.credentials_encrypted).not.toContain(brandAppPassword);
    const list = await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) });
    expect(list.body).not.toContain(brandAppPassword);
    expect(list.json().connections[0]).toMatchObject({ platform: 'bluesky', name: 'Stadtwerke', status: 'active', hasCredentials: true });
    const matrix = (await t.server.inject({ method: 'GET', url: '/api/v1/connectors', headers: as(owner) })).json();
    expect(matrix.connectors.find((c: any) => c.platform === 'bluesky').act).toEqual(expect.arrayContaining(['reply', 'hide', 'mute', 'ban', 'report']));
  });

  it('reads a threatening reply, the rules hide it, and it is hidden in the brand\'s thread on the network', async () => {
    const root = { uri: brandPost.uri, cid: brandPost.cid };
    const threat = await anna.post({ text: 'Wenn die Linie 5 wieder ausfällt, ich bring dich um', reply: { root, parent: root }, langs: ['de'] });
    const question = await anna.post({ text: 'Fährt die Linie 5 auch am Wochenende?', reply: { root, parent: root }, langs: ['de'] });
    await net.processAll();
    await pollNow();

    const item = await waitFor('the threat stored', () => itemByPlatformId(threat.uri));
    await waitFor('the question stored', () => itemByPlatformId(question.uri));
    expect(item).toMatchObject({ kind: 'reply', thread_id: brandPost.uri, parent_id: brandPost.uri, author_handle: '@anna.test' });
    expect(item.permalink).toMatch(/^https:\/\/bsky\.app\/profile\/anna\.test\/post\//);
    await drain(t.app);
    expect((await itemByPlatformId(threat.uri)).moderation).toBe('hidden');
    expect((await itemByPlatformId(question.uri)).moderation).not.toBe('hidden');
    await actionDone(item.id, 'hide');

    await net.processAll();
    const thread = await brand.getPostThread({ uri: brandPost.uri });
    const gate = (thread.data.thread as any).post.threadgate?.record;
    // The thread as the brand sees it: the threat is not among the replies, only under "hidden".
    const v2 = await brand.app.bsky.unspecced.getPostThreadV2({ anchor: brandPost.uri });
    const shown = v2.data.thread.map((e: any) => e.uri);
    expect(shown).toContain(question.uri);
    expect(shown).not.toContain(threat.uri);
    const other = await brand.app.bsky.unspecced.getPostThreadOtherV2({ anchor: brandPost.uri });
    expect(other.data.thread.map((e: any) => e.uri)).toContain(threat.uri);
    expect(gate?.hiddenReplies).toEqual([threat.uri]);
    // Hiding must not close the thread for everyone else.
    expect(gate?.allow).toBeUndefined();
    const { data: gateRecord } = await brand.com.atproto.repo.getRecord({ repo: brand.session!.did, collection: 'app.bsky.feed.threadgate', rkey: brandPost.uri.split('/').pop()! });
    expect((gateRecord.value as any).hiddenReplies).toContain(threat.uri);
  });

  it('polling again reads nothing twice, and the cursor moved with the items', async () => {
    const [{ n: before }] = await t.app.db.query<{ n: number }>('select count(*)::int as n from items where connection_id = $1', [connectionId]);
    const [c1] = await t.app.db.query<any>('select cursor, last_polled_at from connections where id = $1', [connectionId]);
    expect(c1.cursor.seenUntil).toBeTruthy();
    await pollNow();
    await waitFor('another poll', async () => {
      const [c] = await t.app.db.query<any>('select last_polled_at from connections where id = $1', [connectionId]);
      return c.last_polled_at > c1.last_polled_at;
    });
    const [{ n: after }] = await t.app.db.query<{ n: number }>('select count(*)::int as n from items where connection_id = $1', [connectionId]);
    expect(after).toBe(before);
  });

  it('a reply written in Allmende appears on the network in the right thread', async () => {
    const q = await anna.post({ text: 'Gibt es einen Ersatzverkehr?', reply: { root: brandPost, parent: brandPost } });
    await net.processAll();
    await pollNow();
    const item = await waitFor('the question stored', () => itemByPlatformId(q.uri));
    await addAction(item.id, 'reply', { text: 'Ja, ab Haltestelle Markt fahren Busse alle 10 Minuten.' });
    const done = await actionDone(item.id, 'reply');
    expect(done.result.platformId).toMatch(/^at:\/\/did:plc:[a-z0-9]+\/app\.bsky\.feed\.post\//);
    expect(done.result.permalink).toMatch(/^https:\/\/bsky\.app\/profile\/stadtwerke\.test\/post\//);
    await net.processAll();
    const thread = await anna.getPostThread({ uri: q.uri });
    const replies = (thread.data.thread as any).replies ?? [];
    expect(replies.map((r: any) => [r.post.uri, r.post.record.text, r.post.author.handle])).toContainEqual([done.result.platformId, 'Ja, ab Haltestelle Markt fahren Busse alle 10 Minuten.', 'stadtwerke.test']);
    expect(replies[0].post.record.reply.root.uri).toBe(brandPost.uri);
  });

  it('mutes, blocks and reports the author of the threat (the report reaches Ozone)', async () => {
    const [threat] = await t.app.db.query<any>(`select id, platform_id from items where connection_id = $1 and moderation = 'hidden'`, [connectionId]);
    await addAction(threat.id, 'mute');
    await addAction(threat.id, 'ban');
    await addAction(threat.id, 'report', { reasonType: 'reasonViolation', reason: 'Drohung gegen Mitarbeitende' });
    await actionDone(threat.id, 'mute');
    await actionDone(threat.id, 'ban');
    const report = await actionDone(threat.id, 'report');
    expect(report.result.reportId).toBeGreaterThan(0);
    await net.processAll();
    const profile = await brand.getProfile({ actor: 'anna.test' });
    expect(profile.data.viewer?.muted).toBe(true);
    expect(profile.data.viewer?.blocking).toMatch(/app\.bsky\.graph\.block/);
    const events = await net.ozone.getModClient().queryEvents({ subject: threat.platform_id, types: ['tools.ozone.moderation.defs#modEventReport'] });
    expect(events.events.length).toBe(1);
    expect((events.events[0].event as any).comment).toBe('Drohung gegen Mitarbeitende');
  });

  it('a taken-down account shows "needs re-authorisation", keeps its actions, and works again after re-authorising', async () => {
    const did = brand.session!.did;
    const adminHeaders = { headers: net.pds.adminAuthHeaders() };
    await net.pds.getClient().com.atproto.admin.updateSubjectStatus({ subject: { $type: 'com.atproto.admin.defs#repoRef', did }, takedown: { applied: true } }, { ...adminHeaders, encoding: 'application/json' });
    const [item] = await t.app.db.query<any>(`select id from items where connection_id = $1 and kind = 'reply' and moderation <> 'hidden' order by id limit 1`, [connectionId]);
    await addAction(item.id, 'reply', { text: 'Danke für die Frage!' });
    await pollNow();
    const status = await waitFor('needs re-authorisation', async () => {
      const list = (await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).json();
      const c = list.connections.find((x: any) => x.id === connectionId);
      return c.status === 'needs_reauth' ? c : null;
    });
    expect(status.lastError).toMatch(/Bluesky refused/);
    // The reply waits instead of failing.
    await new Promise((r) => setTimeout(r, 1500));
    expect((await actionsOf(item.id, 'reply')).find((a: any) => a.result === null)?.state).toBe('pending');

    await net.pds.getClient().com.atproto.admin.updateSubjectStatus({ subject: { $type: 'com.atproto.admin.defs#repoRef', did }, takedown: { applied: false } }, { ...adminHeaders, encoding: 'application/json' });
    const fresh = (await brand.com.atproto.server.createAppPassword({ name: 'allmende-2' })).data.password;
    const re = await t.server.inject({ method: 'PUT', url: `/api/v1/connections/${connectionId}/credentials`, headers: as(owner), payload: { credentials: { appPassword: fresh } } });
    expect(re.statusCode, re.body).toBe(200);
    await waitFor('the waiting reply posted', async () => (await actionsOf(item.id, 'reply')).every((a: any) => a.state === 'done' && a.result.platformId));
    const list = (await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).json();
    expect(list.connections.find((x: any) => x.id === connectionId).status).toBe('active');
  });
});

describe('Bluesky firehose (the PDS\'s com.atproto.sync.subscribeRepos)', () => {
  it('reads a reply and a mention as they are written, before any notification poll, and nothing unrelated', async () => {
    const password = (await brand.com.atproto.server.createAppPassword({ name: 'allmende-live' })).data.password;
    const res = await t.server.inject({
      method: 'POST', url: '/api/v1/connectors/bluesky/connections', headers: as(owner),
      payload: { name: 'Stadtwerke live', settings: { service: net.pds.url, identifier: 'stadtwerke.test', firehose: net.pds.url.replace(/^http/, 'ws') }, credentials: { appPassword: password } },
    });
    expect(res.statusCode, res.body).toBe(201);
    const live = res.json().id;
    const fromFirehose = async (uri: string) =>
      (await t.app.db.query<any>(`select kind, thread_id, parent_id, author_handle, raw from items where connection_id = $1 and platform_id = $2`, [live, uri]))[0];
    const root = { uri: brandPost.uri, cid: brandPost.cid };

    // The watcher starts within a few seconds of the connection; until then a post is only in the
    // notifications (the next poll is 30 s away), so each try writes a new reply.
    let n = 0;
    const reply = await waitFor('a reply read from the firehose', async () => {
      const post = await anna.post({ text: `Kommt der Bus heute pünktlich? (${++n})`, reply: { root, parent: root }, langs: ['de'] });
      return waitFor('this reply', () => fromFirehose(post.uri), 3_000).catch(() => null);
    }, 60_000);
    // Only the firehose path leaves indexedAt empty: the AppView had no part in it.
    expect(reply.raw.indexedAt).toBeNull();
    expect(reply).toMatchObject({ kind: 'reply', thread_id: brandPost.uri, parent_id: brandPost.uri, author_handle: '@anna.test' });

    const mentionText = '@stadtwerke.test wann kommt die neue Linie?';
    const mention = await anna.post({
      text: mentionText, langs: ['de'],
      facets: [{ index: { byteStart: 0, byteEnd: Buffer.byteLength('@stadtwerke.test') }, features: [{ $type: 'app.bsky.richtext.facet#mention', did: brand.session!.did }] }],
    });
    const unrelated = await anna.post({ text: 'Schönes Wetter heute.' });
    const m = await waitFor('the mention from the firehose', () => fromFirehose(mention.uri), 15_000);
    expect(m.kind).toBe('mention');
    expect(m.raw.indexedAt).toBeNull();
    expect(await fromFirehose(unrelated.uri)).toBeUndefined();
  });
});
