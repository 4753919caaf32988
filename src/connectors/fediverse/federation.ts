// The ActivityPub side Allmende serves: WebFinger, an actor document (with its public key) per
// fediverse connection, its followers, and its inbox. fedify verifies every inbox POST's HTTP
// signature against the sender's published key and refuses unsigned or badly signed ones (401)
// before any listener runs. The paths match actorPath in index.ts (fedify wants them literal). Mentions and replies become items through the one ingest.
import {
  Accept, Create, Endpoints, Follow, MemoryKvStore, Note, Person, Undo, Update, createFederation, isActor,
  type Actor, type Federation, type InboxContext, type Recipient,
} from '@fedify/fedify';
import type { Db } from '../../store/db.js';
import type { Queue } from '../../store/queue.js';
import type { SecretBox } from '../../core/crypto.js';
import { parseItem } from '../../core/item.js';
import { ingest } from '../../pipeline/ingest.js';
import { fediverse, keyPairOf, keyIdOf, replyNote, type Credentials } from './index.js';
import { allowPrivateAddress } from './sender.js';
import { handleOf, noteToItem } from './map.js';

interface ActorConnection { id: string; workspaceId: string; status: string; settings: any; credentials: Credentials }

export function createFediverse(deps: { db: Db; queue: Queue; secrets: SecretBox; log?: (m: string) => void }): Federation<void> {
  const { db, queue, secrets } = deps;
  const log = deps.log ?? (() => {});
  const federation = createFederation<void>({ kv: new MemoryKvStore(), allowPrivateAddress: allowPrivateAddress() });

  async function connectionOf(identifier: string): Promise<ActorConnection | null> {
    const [row] = await db.query<{ id: string; workspace_id: string; status: string; settings: any; credentials_encrypted: string | null }>(
      `select id, workspace_id, status, settings, credentials_encrypted from connections where platform = 'fediverse' and settings->>'username' = $1`, [identifier]);
    if (!row?.credentials_encrypted) return null;
    const credentials = fediverse.credentials.parse(JSON.parse(secrets.open(row.credentials_encrypted)));
    return { id: row.id, workspaceId: row.workspace_id, status: row.status, settings: row.settings, credentials };
  }

  /** The connection an inbox delivery is for; a paused one answers an error so the sender retries later. */
  async function receiving(identifier: string | null): Promise<ActorConnection> {
    const conn = identifier ? await connectionOf(identifier) : null;
    if (!conn) throw new Error(`no fediverse actor "${identifier}"`);
    if (conn.status !== 'active') throw new Error(`the fediverse actor "${identifier}" is paused; deliver again later`);
    return conn;
  }

  /** A Create or Update of a Note in an actor's inbox: the Note as an item, through the one ingest. */
  async function storeNote(ctx: InboxContext<void>, activity: Create | Update) {
    const conn = await receiving(ctx.recipient);
    const note = await activity.getObject(ctx);
    if (!(note instanceof Note)) return;
    // The signature proved who sent the activity; the Note must be theirs too.
    if (!activity.actorId || note.attributionId?.href !== activity.actorId.href) throw new Error('the Note is not attributed to the actor that sent it');
    const author = await activity.getActor(ctx);
    if (!author || !isActor(author)) return;
    const item = await noteToItem(note, author as Actor, await note.toJsonLd());
    const parsed = item && parseItem(item, 1);
    if (!parsed || !parsed.ok) { log(`fediverse: a Note from ${activity.actorId.href} could not be stored: ${parsed && !parsed.ok ? parsed.errors.map((e) => `${e.field}: ${e.message}`).join('; ') : 'no id'}`); return; }
    await ingest(db, queue, { workspaceId: conn.workspaceId, connectionId: conn.id }, [parsed.item]);
    await db.query(`update connections set last_item_at = greatest(coalesce(last_item_at, now()), now()) where id = $1`, [conn.id]);
  }

  federation
    .setActorDispatcher('/ap/actors/{identifier}', async (ctx, identifier) => {
      const conn = await connectionOf(identifier);
      if (!conn) return null;
      const keys = await ctx.getActorKeyPairs(identifier);
      return new Person({
        id: ctx.getActorUri(identifier),
        preferredUsername: identifier,
        name: conn.settings.displayName ?? identifier,
        summary: conn.settings.summary ?? null,
        inbox: ctx.getInboxUri(identifier),
        endpoints: new Endpoints({ sharedInbox: null }),
        followers: ctx.getFollowersUri(identifier),
        url: ctx.getActorUri(identifier),
        publicKey: keys[0]?.cryptographicKey,
        assertionMethods: keys.map((k) => k.multikey),
        manuallyApprovesFollowers: false,
      });
    })
    .setKeyPairsDispatcher(async (_ctx, identifier) => {
      const conn = await connectionOf(identifier);
      return conn ? [await keyPairOf(conn.credentials)] : [];
    });

  const FOLLOWERS_OF = `from fediverse_followers f join connections c on c.id = f.connection_id where c.platform = 'fediverse' and c.settings->>'username' = $1`;
  federation.setFollowersDispatcher('/ap/actors/{identifier}/followers', async (_ctx, identifier) => {
    const rows = await db.query<{ actor_id: string; inbox: string; shared_inbox: string | null }>(
      `select f.actor_id, f.inbox, f.shared_inbox ${FOLLOWERS_OF} order by f.followed_at`, [identifier]);
    const items: Recipient[] = rows.map((r) => ({ id: new URL(r.actor_id), inboxId: new URL(r.inbox), endpoints: r.shared_inbox ? { sharedInbox: new URL(r.shared_inbox) } : null }));
    return { items };
  }).setCounter(async (_ctx, identifier) => (await db.query<{ n: number }>(`select count(*)::int as n ${FOLLOWERS_OF}`, [identifier]))[0].n);

  // Replies Allmende sent, for servers that fetch a Note by its id (to show it in the thread).
  federation.setObjectDispatcher(Note, '/ap/notes/{id}', async (_ctx, { id }) => {
    if (!/^\d{1,18}$/.test(id)) return null;
    const [row] = await db.query<{ id: number; payload: any; result: any; settings: any; platform_id: string; thread_id: string | null; raw: any }>(
      `select a.id, a.payload, a.result, c.settings, i.platform_id, i.thread_id, i.raw from actions a
       join connections c on c.id = a.connection_id join items i on i.id = a.item_id
       where a.id = $1 and a.type = 'reply' and a.state = 'done' and c.platform = 'fediverse'`, [id]);
    if (!row?.result?.published) return null;
    return replyNote(row.settings, Number(row.id), { platformId: row.platform_id, threadId: row.thread_id, raw: row.raw }, row.payload.text, row.result.published);
  });

  federation
    .setInboxListeners('/ap/actors/{identifier}/inbox')
    .on(Follow, async (ctx, follow) => {
      const conn = await receiving(ctx.recipient);
      if (!follow.id || !follow.actorId || follow.objectId?.href !== ctx.getActorUri(ctx.recipient!).href) return;
      const follower = await follow.getActor(ctx);
      if (!follower || !isActor(follower) || !follower.inboxId) return;
      await db.transaction(async (tx) => {
        await tx.query(
          `insert into fediverse_followers (connection_id, actor_id, inbox, shared_inbox, handle) values ($1, $2, $3, $4, $5)
           on conflict (connection_id, actor_id) do update set inbox = excluded.inbox, shared_inbox = excluded.shared_inbox, handle = excluded.handle`,
          [conn.id, follower.id!.href, follower.inboxId!.href, follower.endpoints?.sharedInbox?.href ?? null, handleOf(follower)]);
        await tx.query(`insert into events (workspace_id, actor, type, data) values ($1, $2, 'fediverse.followed', $3)`,
          [conn.workspaceId, handleOf(follower) ?? follower.id!.href, JSON.stringify({ connectionId: conn.id, follower: follower.id!.href })]);
      });
      const { privateKey } = await keyPairOf(conn.credentials);
      const me = ctx.getActorUri(ctx.recipient!);
      await ctx.sendActivity({ privateKey, keyId: keyIdOf(me) }, follower, new Accept({ id: new URL(`#accept-${encodeURIComponent(follow.id.href)}`, me), actor: me, object: follow }));
    })
    .on(Undo, async (ctx, undo) => {
      const conn = await receiving(ctx.recipient);
      const object = await undo.getObject(ctx);
      if (!(object instanceof Follow) || !undo.actorId || object.actorId?.href !== undo.actorId.href) return;
      await db.transaction(async (tx) => {
        const gone = await tx.query(`delete from fediverse_followers where connection_id = $1 and actor_id = $2 returning actor_id`, [conn.id, undo.actorId!.href]);
        if (gone.length) {
          await tx.query(`insert into events (workspace_id, actor, type, data) values ($1, $2, 'fediverse.unfollowed', $3)`,
            [conn.workspaceId, undo.actorId!.href, JSON.stringify({ connectionId: conn.id, follower: undo.actorId!.href })]);
        }
      });
    })
    .on(Create, (ctx, create) => storeNote(ctx, create))
    // An edit: the same Note again; ingest keeps the earlier text in the event log.
    .on(Update, (ctx, update) => storeNote(ctx, update))
    .onError((_ctx, error) => log(`fediverse inbox: ${error.message}`));

  return federation;
}
