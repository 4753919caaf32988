// A connection's state a person can act on: active, paused, or waiting for new credentials.
import type { Db } from '../store/db.js';

/** Credentials were refused: reading and acting stop (nothing is dropped) until someone re-authorises. */
export async function markNeedsReauthorisation(db: Db, connectionId: string, error: string): Promise<void> {
  await db.query(
    `update connections set status = 'needs_reauth', last_error = $2, last_error_at = now() where id = $1 and status = 'active'`,
    [connectionId, error.slice(0, 2000)]);
}
