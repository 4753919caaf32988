// The outbox: actions on platforms (hide, delete, reply …) carried out with retries and backoff.
// An action is claimed in a short transaction, performed outside any transaction (no database
// connection waits on a platform), and its answer recorded. A claim whose worker died expires.
import type { Db } from '../store/db.js';
import type { SecretBox } from '../core/crypto.js';
import { connectorFor, loadConnection, type ConnectionRow } from '../connectors/registry.js';
import { markNeedsReauthorisation } from '../connectors/status.js';

export const MAX_ATTEMPTS = 8;
const CLAIM_SECONDS = 60;

/** Backoff: 5 s, 10 s, 20 s … capped at one hour. */
export const backoffSeconds = (attempt: number) => Math.min(3600, 5 * 2 ** (attempt - 1));

/** Told when an action reached its end (done, failed, unsupported), e.g. to record a sent reply. */
export type ActionFinished = (db: Db, action: { id: number; type: string }) => Promise<void>;

export async function runDueActions(db: Db, secrets: SecretBox, limit = 20, onFinished: ActionFinished[] = []): Promise<number> {
  const claimed = await db.transaction((tx) => tx.query<{ id: number; type: string; payload: unknown; item_id: number | null; connection_id: string; attempts: number; platform_id: string | null; item: any }>(
    `update actions a set state = 'running', locked_until = now() + make_interval(secs => $2), attempts = attempts + 1, updated_at = now()
     from (select id from actions
           where ((state = 'pending' and next_attempt_at <= now()) or (state = 'running' and locked_until < now()))
             -- A paused connection, or one waiting for new credentials, keeps its actions pending.
             and connection_id in (select id from connections where status = 'active')
           order by id limit $1 for update of actions skip locked) due
     where a.id = due.id
     returning a.id, a.type, a.payload, a.item_id, a.connection_id, a.attempts,
       (select platform_id from items i where i.id = a.item_id) as platform_id,
       (select jsonb_build_object('platformId', i.platform_id, 'threadId', i.thread_id, 'parentId', i.parent_id,
          'authorPlatformId', i.author_platform_id, 'authorHandle', i.author_handle, 'raw', i.raw) from items i where i.id = a.item_id) as item`, [limit, CLAIM_SECONDS]));
  const connections = new Map<string, ConnectionRow | null>();
  for (const a of claimed) {
    if (!connections.has(a.connection_id)) connections.set(a.connection_id, await loadConnection(db, a.connection_id));
    const conn = connections.get(a.connection_id);
    const connector = conn ? connectorFor(conn, secrets) : null;
    const outcome = !connector
      ? { state: 'unsupported' as const, note: `the ${conn?.platform ?? 'unknown'} connection "${conn?.name ?? '?'}" cannot carry out actions on the platform yet; the change holds in Allmende only` }
      : !connector.capabilities.includes(a.type)
        ? { state: 'unsupported' as const, note: `${conn!.platform} cannot ${a.type}` }
        : await connector.perform({ id: a.id, type: a.type, payload: a.payload, itemId: a.item_id, platformId: a.platform_id, item: a.item });
    if (outcome.state === 'done') {
      await db.query(`update actions set state = 'done', result = $2, locked_until = null, last_error = null, updated_at = now() where id = $1`, [a.id, JSON.stringify(outcome.result)]);
    } else if (outcome.state === 'unsupported') {
      await db.query(`update actions set state = 'unsupported', result = $2, locked_until = null, updated_at = now() where id = $1`, [a.id, JSON.stringify({ note: outcome.note })]);
    } else if ('needsReauthorisation' in outcome && outcome.needsReauthorisation) {
      // Not the action's fault: it waits, uncounted, until someone re-authorises the connection.
      await db.query(`update actions set state = 'pending', last_error = $2, locked_until = null, attempts = attempts - 1, updated_at = now() where id = $1`, [a.id, outcome.error]);
      await markNeedsReauthorisation(db, a.connection_id, outcome.error);
      connections.delete(a.connection_id);
      continue;
    } else if (outcome.retry && a.attempts < MAX_ATTEMPTS) {
      // The platform's own Retry-After wins over our backoff when it asks for longer.
      const wait = Math.max(backoffSeconds(a.attempts), outcome.retryAfterSeconds ?? 0);
      await db.query(`update actions set state = 'pending', last_error = $2, locked_until = null, next_attempt_at = now() + make_interval(secs => $3), updated_at = now() where id = $1`, [a.id, outcome.error, wait]);
      continue;
    } else {
      await db.query(`update actions set state = 'failed', last_error = $2, locked_until = null, updated_at = now() where id = $1`, [a.id, outcome.error]);
    }
    for (const listener of onFinished) await listener(db, { id: a.id, type: a.type });
  }
  return claimed.length;
}
