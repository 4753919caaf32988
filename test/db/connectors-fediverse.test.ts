// Allmende as an ActivityPub actor, against a second, independent ActivityPub server started
// here on 127.0.0.1: a fedify federation of its own ("social.example", with the account anna)
// behind a plain node:http server. Anna finds Allmende's actor (WebFinger, actor document with
// its public key), follows it, mentions it and replies in the thread; Allmende's reply, block and
// report arrive in her inbox signed, and her server checks those signatures. Unsigned and badly
// signed deliveries to Allmende's inbox are refused and store nothing.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import {
  Accept, Block, Create, Flag, Follow, MemoryKvStore, Mention, Note, Person, Undo, Update, createFederation, generateCryptoKeyPair, signRequest,
  type Federation, type Activity,
} from '@fedify/fedify';
import { Temporal } from '@js-temporal/polyfill';
import { startTestApp, setupOwner, as, waitFor, type TestEnv, type Session } from '../helpers.js';

// Both servers are on loopback, which the fediverse side refuses unless told otherwise.
process.env.ALLMENDE_FEDIVERSE_ALLOW_PRIVATE = '1';

let t: TestEnv;
let owner: Session;
let origin: string;
let connectionId: string;
const actor = () => new URL('/ap/actors/stadtwerke', origin);

// --- the second server -------------------------------------------------------------------
let remote: HttpServer;
let remoteOrigin: string;
let remoteFed: Federation<void>;
const annaKeys = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
const received: Activity[] = [];

function startRemote(): Promise<void> {
  remoteFed = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: true });
  remoteFed
    .setActorDispatcher('/users/{identifier}', async (ctx, identifier) => identifier !== 'anna' ? null : new Person({
      id: ctx.getActorUri(identifier), preferredUsername: identifier, name: 'Anna Albers',
      inbox: ctx.getInboxUri(identifier), publicKey: (await ctx.getActorKeyPairs(identifier))[0].cryptographicKey,
    }))
    .setKeyPairsDispatcher(async (_ctx, identifier) => (identifier === 'anna' ? [annaKeys] : []));
  remoteFed.setInboxListeners('/users/{identifier}/inbox')
    .on(Accept, async (_ctx, a) => { received.push(a); })
    .on(Create, async (_ctx, a) => { received.push(a); })
    .on(Block, async (_ctx, a) => { received.push(a); })
    .on(Flag, async (_ctx, a) => { received.push(a); });
  remote = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string') headers.set(k, v);
    const request = new Request(new URL(req.url!, remoteOrigin), { method: req.method, headers, body: req.method === 'GET' ? undefined : new Uint8Array(Buffer.concat(chunks)) });
    const response = await remoteFed.fetch(request, { contextData: undefined });
    const out: Record<string, string> = {};
    response.headers.forEach((v, k) => { out[k] = v; });
    res.writeHead(response.status, out);
    res.end(Buffer.from(await response.arrayBuffer()));
  });
  return new Promise((r) => remote.listen(0, '127.0.0.1', () => { remoteOrigin = `http://127.0.0.1:${(remote.address() as any).port}`; r(); }));
}
const remoteCtx = () => remoteFed.createContext(new URL(remoteOrigin), undefined);
const anna = () => new URL('/users/anna', remoteOrigin);
const annaSends = async (activity: Activity) => {
  const ctx = remoteCtx();
  const us = await ctx.lookupObject(actor().href);
  await ctx.sendActivity({ identifier: 'anna' }, us as Person, activity);
};
const receivedOf = <T extends Activity>(cls: new (...a: any[]) => T) => received.filter((a): a is T => a instanceof cls);

const items = () => t.app.db.query<any>(
  `select id, platform_id, kind, thread_id, parent_id, author_handle, author_platform_id, text, conversation_id, created_at from items
   where connection_id = $1 and platform_id like $2 order by created_at`, [connectionId, `${remoteOrigin}%`]);
const actionsOf = (itemId: number, type: string) => t.app.db.query<any>('select state, result, last_error from actions where item_id = $1 and type = $2', [itemId, type]);

beforeAll(async () => {
  await startRemote();
  t = await startTestApp();
  await t.server.listen({ port: 0, host: '127.0.0.1' });
  origin = `http://127.0.0.1:${(t.server.server.address() as any).port}`;
  owner = await setupOwner(t.server);
});

afterAll(async () => {
  await t?.close();
  remote?.closeAllConnections();
  await new Promise((r) => remote?.close(r));
});

describe('fediverse: Allmende as an ActivityPub actor', () => {
  it('refuses a user name that is not one, naming the field', async () => {
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/fediverse/connections', headers: as(owner), payload: { name: 'Fediverse', settings: { username: 'stadt werke!', origin } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^settings\.username/);
  });

  it('creates the actor with its own key pair; WebFinger and the actor document find it', async () => {
    const res = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/fediverse/connections', headers: as(owner), payload: { name: 'Fediverse', settings: { username: 'stadtwerke', origin, displayName: 'Stadtwerke Nord' } } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().account).toBe(`@stadtwerke@${new URL(origin).host}`);
    connectionId = res.json().id;
    // The name is the actor's address on this server: taken is taken.
    const again = await t.server.inject({ method: 'POST', url: '/api/v1/connectors/fediverse/connections', headers: as(owner), payload: { name: 'Zweites', settings: { username: 'stadtwerke', origin } } });
    expect(again.statusCode).toBe(409);
    // The key pair is sealed with the credentials and never comes back out.
    const status = (await t.server.inject({ method: 'GET', url: '/api/v1/connections/status', headers: as(owner) })).json().connections.find((c: any) => c.id === connectionId);
    expect(JSON.stringify(status)).not.toMatch(/privateKey|"d":/);

    const wf = await fetch(`${origin}/.well-known/webfinger?resource=acct:stadtwerke@${new URL(origin).host}`);
    expect(wf.status).toBe(200);
    const links = (await wf.json()).links;
    expect(links.find((l: any) => l.rel === 'self').href).toBe(actor().href);
    expect((await fetch(`${origin}/.well-known/webfinger?resource=acct:niemand@${new URL(origin).host}`)).status).toBe(404);

    // The second server reads the actor as any server would, public key included.
    const person = await remoteCtx().lookupObject(actor().href);
    expect(person).toBeInstanceOf(Person);
    expect(String((person as Person).name)).toBe('Stadtwerke Nord');
    const key = await (person as Person).getPublicKey(remoteCtx());
    expect(key?.id?.href).toBe(`${actor().href}#main-key`);
    expect((person as Person).inboxId?.href).toBe(`${actor().href}/inbox`);
  });

  it('accepts a follow: the follower is kept, Accept arrives signed at the follower\'s server', async () => {
    await annaSends(new Follow({ id: new URL('/follows/1', remoteOrigin), actor: anna(), object: actor() }));
    const accepts = await waitFor('Accept at anna', async () => receivedOf(Accept).length > 0 && receivedOf(Accept));
    expect(accepts[0].actorId?.href).toBe(actor().href);
    const followers = await t.app.db.query<any>('select actor_id, inbox, handle from fediverse_followers where connection_id = $1', [connectionId]);
    expect(followers).toEqual([{ actor_id: anna().href, inbox: `${anna().href}/inbox`, handle: `@anna@${new URL(remoteOrigin).host}` }]);
    const collection = await fetch(`${actor().href}/followers`, { headers: { accept: 'application/activity+json' } });
    expect((await collection.json()).totalItems).toBe(1);
    const [event] = await t.app.db.query<any>(`select actor, data from events where type = 'fediverse.followed'`);
    expect(event.data.follower).toBe(anna().href);
  });

  it('a mention and a reply in the thread become items with thread structure; markup stays text; an edit updates the item', async () => {
    const context = new URL('/contexts/linie-5', remoteOrigin);
    const first = new Note({
      id: new URL('/notes/1', remoteOrigin), attribution: anna(), to: actor(), contexts: [context],
      content: `<p><span class="h-card"><a href="${actor().href}" class="u-url mention">@stadtwerke</a></span> Fährt die Linie 5 auch nachts? <script>alert(1)</script><b>Bitte</b> antworten!</p>`,
      tags: [new Mention({ href: actor(), name: '@stadtwerke' })], published: Temporal.Instant.from('2026-11-25T08:00:00Z'),
    });
    await annaSends(new Create({ id: new URL('/notes/1/activity', remoteOrigin), actor: anna(), object: first, to: actor() }));
    const second = new Note({
      id: new URL('/notes/2', remoteOrigin), attribution: anna(), to: actor(), contexts: [context], replyTarget: first.id,
      content: '<p>Und am Wochenende?</p>', published: Temporal.Instant.from('2026-11-25T08:01:00Z'),
    });
    await annaSends(new Create({ id: new URL('/notes/2/activity', remoteOrigin), actor: anna(), object: second, to: actor() }));
    const rows = await waitFor('two items', async () => { const r = await items(); return r.length === 2 && r; });
    expect(rows[0]).toMatchObject({
      platform_id: `${remoteOrigin}/notes/1`, kind: 'mention', thread_id: context.href, parent_id: null,
      author_handle: `@anna@${new URL(remoteOrigin).host}`, author_platform_id: anna().href,
      text: '@stadtwerke Fährt die Linie 5 auch nachts? Bitte antworten!',
    });
    expect(rows[1]).toMatchObject({ platform_id: `${remoteOrigin}/notes/2`, kind: 'reply', thread_id: context.href, parent_id: `${remoteOrigin}/notes/1`, text: 'Und am Wochenende?' });
    // One thread, one conversation in the inbox.
    expect(rows[1].conversation_id).toBe(rows[0].conversation_id);
    // The same delivery again (a retry by the sender) is the same item.
    await annaSends(new Create({ id: new URL('/notes/2/activity', remoteOrigin), actor: anna(), object: second, to: actor() }));
    expect((await items()).length).toBe(2);
    // Anna edits her reply: the item's text changes, the earlier text stays in the event log.
    const edited = new Note({ id: second.id, attribution: anna(), to: actor(), contexts: [context], replyTarget: first.id, content: '<p>Und am Wochenende? Auch sonntags?</p>', published: second.published });
    await annaSends(new Update({ id: new URL('/notes/2/edit/1', remoteOrigin), actor: anna(), object: edited, to: actor() }));
    await waitFor('the edit stored', async () => (await items())[1].text === 'Und am Wochenende? Auch sonntags?');
    const [edit] = await t.app.db.query<any>(`select data from events where type = 'item.edited' and item_id = $1`, [rows[1].id]);
    expect(edit.data.previousText).toBe('Und am Wochenende?');
  });

  it('refuses unsigned and badly signed deliveries (401) and stores nothing from them', async () => {
    const forged = (n: number) => JSON.stringify({
      '@context': 'https://www.w3.org/ns/activitystreams', id: `${remoteOrigin}/forged/${n}/activity`, type: 'Create', actor: anna().href,
      object: { id: `${remoteOrigin}/forged/${n}`, type: 'Note', attributedTo: anna().href, content: 'Gefälscht', to: actor().href },
    });
    const inbox = `${actor().href}/inbox`;
    const unsigned = await fetch(inbox, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: forged(1) });
    expect(unsigned.status).toBe(401);
    // Signed with a key that is not Anna's, under Anna's key id.
    const other = await generateCryptoKeyPair('RSASSA-PKCS1-v1_5');
    const bad = await signRequest(new Request(inbox, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: forged(2) }), other.privateKey, new URL(`${anna().href}#main-key`));
    expect((await fetch(bad)).status).toBe(401);
    // Correctly signed, then the body changed: the digest no longer matches.
    const signed = await signRequest(new Request(inbox, { method: 'POST', headers: { 'content-type': 'application/activity+json' }, body: forged(3) }), annaKeys.privateKey, new URL(`${anna().href}#main-key`));
    const tampered = new Request(inbox, { method: 'POST', headers: signed.headers, body: forged(4) });
    expect((await fetch(tampered)).status).toBe(401);
    expect((await items()).map((i) => i.platform_id).filter((id) => id.includes('/forged/'))).toEqual([]);
  });

  it('a reply written in Allmende arrives at Anna\'s server as a signed Create(Note) in her thread', async () => {
    const [, second] = await items();
    const res = await t.server.inject({ method: 'POST', url: `/api/v1/inbox/conversations/${second.conversation_id}/replies`, headers: as(owner), payload: { text: 'Ja, die Linie 5 fährt auch am Wochenende.\n\nAb 22 Uhr alle 30 Minuten. <b>kein HTML</b>', replyTo: Number(second.id) } });
    expect(res.statusCode, res.body).toBe(202);
    const creates = await waitFor('reply at anna', async () => { const c = receivedOf(Create).filter((a) => a.actorId?.href === actor().href); return c.length > 0 && c; });
    const note = await creates[0].getObject() as Note;
    expect(note).toBeInstanceOf(Note);
    expect(note.replyTargetId?.href).toBe(`${remoteOrigin}/notes/2`);
    expect(note.contextIds.map(String)).toEqual([`${remoteOrigin}/contexts/linie-5`]);
    expect(note.attributionId?.href).toBe(actor().href);
    // The text is escaped, never markup of its own.
    expect(String(note.content)).toContain('&lt;b&gt;kein HTML&lt;/b&gt;');
    expect(String(note.content)).toContain('<p>Ab 22 Uhr alle 30 Minuten.');
    const [action] = await waitFor('reply done', async () => { const a = await actionsOf(Number(second.id), 'reply'); return a[0]?.state === 'done' && a; });
    expect(action.result.platformId).toBe(note.id!.href);
    // Anyone can fetch the reply at its id, as the same Note.
    const fetched = await remoteCtx().lookupObject(note.id!.href) as Note;
    expect(fetched).toBeInstanceOf(Note);
    expect(String(fetched.content)).toBe(String(note.content));
    expect(fetched.replyTargetId?.href).toBe(`${remoteOrigin}/notes/2`);
  });

  it('block and report go out as Block and Flag, signed, to the author\'s server', async () => {
    const [first] = await items();
    const [ws] = await t.app.db.query<any>('select workspace_id from connections where id = $1', [connectionId]);
    for (const [type, payload] of [['ban', {}], ['report', { reason: 'Beleidigung gegen Mitarbeitende' }]] as const) {
      await t.app.db.query(`insert into actions (workspace_id, item_id, connection_id, type, payload) values ($1, $2, $3, $4, $5)`, [ws.workspace_id, first.id, connectionId, type, JSON.stringify(payload)]);
    }
    const block = (await waitFor('Block at anna', async () => receivedOf(Block).length > 0 && receivedOf(Block)))[0];
    expect(block.actorId?.href).toBe(actor().href);
    expect(block.objectId?.href).toBe(anna().href);
    const flag = (await waitFor('Flag at anna', async () => receivedOf(Flag).length > 0 && receivedOf(Flag)))[0];
    expect(flag.objectIds.map(String)).toEqual([anna().href, `${remoteOrigin}/notes/1`]);
    expect(String(flag.content)).toBe('Beleidigung gegen Mitarbeitende');
    await waitFor('both done', async () => (await actionsOf(first.id, 'ban'))[0]?.state === 'done' && (await actionsOf(first.id, 'report'))[0]?.state === 'done');
    // Hide is not something the fediverse has; the outbox says so instead of pretending.
    await t.app.db.query(`insert into actions (workspace_id, item_id, connection_id, type) values ($1, $2, $3, 'hide')`, [ws.workspace_id, first.id, connectionId]);
    const [hide] = await waitFor('hide answered', async () => { const a = await actionsOf(first.id, 'hide'); return a[0]?.state !== 'pending' && a[0]?.state !== 'running' && a; });
    expect(hide.state).toBe('unsupported');
  });

  it('an unfollow removes the follower', async () => {
    await annaSends(new Undo({ id: new URL('/follows/1/undo', remoteOrigin), actor: anna(), object: new Follow({ id: new URL('/follows/1', remoteOrigin), actor: anna(), object: actor() }) }));
    await waitFor('follower gone', async () => (await t.app.db.query('select 1 from fediverse_followers where connection_id = $1', [connectionId])).length === 0);
  });
});
