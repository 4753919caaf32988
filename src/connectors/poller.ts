// The poller: reads every active connection whose connector polls, inside the app's workers.
// One lease per connection (a row update, so it holds across processes on a PostgreSQL server)
// means no two workers poll the same connection at once. The cursor is written in the same
// transaction as the items it produced, and only while this worker still holds the lease, so a
// restart resumes exactly where the last stored page ended.
import { randomUUID } from 'node:crypto';
import type { Db } from '../store/db.js';
import type { Queue } from '../store/queue.js';
import type { SecretBox } from '../core/crypto.js';
import { parseItem, type ItemInput } from '../core/item.js';
import { ingest } from '../pipeline/ingest.js';
import { STAGE_QUEUE } from '../pipeline/stages.js';
import { CONNECTORS, clientFor, type ConnectionRow } from './registry.js';
import { NeedsReauthorisation, PlatformBusy } from './contract.js';
import { markNeedsReauthorisation } from './status.js';

/** Longer than any poll may take; a worker that died frees its connections after this. */
export const LEASE_SECONDS = 120;
const MAX_BACKOFF_SECONDS = 3600;
const BATCH = 500;

export interface PollResult { connectionId: string; created: number; duplicate: number; skipped: number; error?: string }

export const pollBackoffSeconds = (failures: number) => Math.min(MAX_BACKOFF_SECONDS, 5 * 2 ** Math.max(0, failures - 1));

export interface Poller { owner: string; pollDue(limit?: number): Promise<PollResult[]> }

export function createPoller(db: Db, queue: Queue, secrets: SecretBox, opts: { log?: (m: string) => void; owner?: string } = {}): Poller {
  const owner = opts.owner ?? `poller-${randomUUID()}`;
  const log = opts.log ?? (() => {});
  const platforms = Object.values(CONNECTORS).filter((d) => d.read.includes('poll')).map((d) => d.platform);

  async function claim(limit: number): Promise<(ConnectionRow & { cursor: unknown; poll_failures: number; workspace_id: string; claimed_next: string })[]> {
    return db.transaction((tx) => tx.query(
      `update connections c set lease_owner = $1, lease_until = now() + make_interval(secs => $2)
       from (select id from connections
             where status = 'active' and credentials_encrypted is not null and platform = any($3::text[])
               and next_poll_at <= now() and (lease_until is null or lease_until < now())
             order by next_poll_at limit $4 for update skip locked) due
       where c.id = due.id
       returning c.id, c.workspace_id, c.platform, c.name, c.settings, c.secret_encrypted, c.credentials_encrypted, c.status, c.cursor, c.poll_failures, c.next_poll_at::text as claimed_next`,
      [owner, LEASE_SECONDS, platforms, limit]));
  }

  async function pollOne(conn: Awaited<ReturnType<typeof claim>>[number]): Promise<PollResult> {
    const def = CONNECTORS[conn.platform];
    const result: PollResult = { connectionId: conn.id, created: 0, duplicate: 0, skipped: 0 };
    try {
      const client = clientFor(conn, secrets);
      if (!client?.poll) throw new Error(`${conn.platform} connections cannot be polled`);
      const page = await client.poll(conn.cursor ?? null);
      // The connector's items pass the same validation as every other way in.
      const items: ItemInput[] = [];
      page.items.forEach((raw, i) => {
        const r = parseItem(raw, i + 1);
        if (r.ok) items.push(r.item); else result.skipped++;
      });
      result.skipped += page.skipped;
      if (def.immutable && items.length) {
        const known = new Set((await db.query<{ platform_id: string }>(
          'select platform_id from items where connection_id = $1 and platform_id = any($2::text[])', [conn.id, items.map((i) => i.platformId)])).map((r) => r.platform_id));
        result.duplicate += items.length;
        items.splice(0, items.length, ...items.filter((i) => !known.has(i.platformId)));
        result.duplicate -= items.length;
      }
      let latest: string | null = null;
      for (const it of items) if (it.createdAt && (!latest || it.createdAt > latest)) latest = it.createdAt;
      await db.transaction(async (tx) => {
        for (let i = 0; i < items.length; i += BATCH) {
          const r = await ingest(tx, queue, { workspaceId: conn.workspace_id, connectionId: conn.id }, items.slice(i, i + BATCH));
          result.created += r.created; result.duplicate += r.duplicate;
        }
        const moved = await tx.query(
          `update connections set cursor = $3, poll_failures = 0, last_polled_at = now(),
             last_error = case when status = 'active' then null else last_error end,
             last_item_at = case when $4::timestamptz is null then last_item_at else greatest(last_item_at, $4::timestamptz) end,
             -- "Read now" or news from a watcher while this poll ran: read again at once.
             next_poll_at = case when next_poll_at::text <> $6 then now() else now() + make_interval(secs => $5) end,
             lease_owner = null, lease_until = null
           where id = $1 and lease_owner = $2 returning id`,
          [conn.id, owner, JSON.stringify(page.cursor ?? null), items.length ? latest : null, page.more ? 0 : def.pollEverySeconds, conn.claimed_next]);
        // Our lease ran out and another worker took over: its poll counts, ours is rolled back.
        if (!moved.length) throw new Error('lease lost during the poll');
      });
      if (result.created) queue.notify(STAGE_QUEUE.analyse);
    } catch (e: any) {
      result.error = e?.message ?? String(e);
      if (e instanceof NeedsReauthorisation) {
        await markNeedsReauthorisation(db, conn.id, result.error!);
        await release(conn.id, 0, conn.poll_failures, conn.claimed_next);
      } else {
        const failures = conn.poll_failures + 1;
        const wait = Math.max(pollBackoffSeconds(failures), e instanceof PlatformBusy ? e.retryAfterSeconds ?? 0 : 0);
        await db.query(`update connections set last_error = $2, last_error_at = now() where id = $1`, [conn.id, result.error!.slice(0, 2000)]);
        await release(conn.id, wait, failures, conn.claimed_next);
      }
      log(`poll of ${conn.platform} connection "${conn.name}" failed: ${result.error}`);
    }
    return result;
  }

  async function release(id: string, waitSeconds: number, failures: number, claimedNext: string) {
    // A person's "read now" during a failing poll still waits out the platform's Retry-After.
    await db.query(
      `update connections set lease_owner = null, lease_until = null, poll_failures = $3,
         next_poll_at = greatest(case when next_poll_at::text <> $5 then next_poll_at else now() end, now() + make_interval(secs => $4))
       where id = $1 and lease_owner = $2`, [id, owner, failures, waitSeconds, claimedNext]);
  }

  return {
    owner,
    async pollDue(limit = 4) {
      const due = await claim(limit);
      return Promise.all(due.map(pollOne));
    },
  };
}

/**
 * Stream reads (IMAP IDLE): a held connection per active connection whose connector can watch.
 * News only makes the connection due now; reading stays with the poller and its lease, so a
 * watcher in every worker process is harmless.
 */
export function createWatchers(db: Db, secrets: SecretBox, log: (m: string) => void = () => {}) {
  const running = new Map<string, { key: string; stop: Promise<(() => Promise<void>) | null> }>();
  const platforms = Object.values(CONNECTORS).filter((d) => d.read.includes('stream')).map((d) => d.platform);
  const stopOne = async (id: string) => {
    const w = running.get(id);
    running.delete(id);
    const stop = await w?.stop.catch(() => null);
    await stop?.().catch(() => {});
  };
  return {
    async sync() {
      const rows = await db.query<ConnectionRow & { status: string }>(
        `select id, workspace_id, platform, name, settings, secret_encrypted, credentials_encrypted, status from connections
         where status = 'active' and credentials_encrypted is not null and platform = any($1::text[])`, [platforms]);
      const want = new Map(rows.map((r) => [r.id, r]));
      for (const id of [...running.keys()]) {
        const r = want.get(id);
        if (!r || running.get(id)!.key !== r.credentials_encrypted + JSON.stringify(r.settings)) await stopOne(id);
      }
      for (const r of rows) {
        if (running.has(r.id)) continue;
        const client = clientFor(r, secrets);
        if (!client?.watch) continue;
        const entry = {
          key: r.credentials_encrypted + JSON.stringify(r.settings),
          stop: client.watch(() => { db.query('update connections set next_poll_at = now() where id = $1', [r.id]).catch(() => {}); })
            .catch((e) => { log(`watching ${r.platform} connection "${r.name}" failed: ${e.message}`); running.delete(r.id); return null; }),
        };
        running.set(r.id, entry);
      }
    },
    async stop() { for (const id of [...running.keys()]) await stopOne(id); },
  };
}
