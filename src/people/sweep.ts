// The people sweep (every minute in a worker process): links identities of workspaces that got
// new identities since the last run, brings the kept per-person figures up to date (so the
// noted changes do not pile up and a list request finds little left to do), and purges raw
// payloads past the retention setting.
import type { Db } from '../store/db.js';
import { linkIdentities } from './link.js';
import { purgeRawPayloads } from './privacy.js';
import { freshStats } from './stored-stats.js';

const lastRun = new Map<string, number>();

export async function peopleSweep(db: Db, now: Date): Promise<void> {
  const ws = await db.query<{ workspace_id: string; newest: number }>(
    `select workspace_id, max(id)::bigint as newest from identities group by workspace_id`);
  for (const w of ws) {
    if (lastRun.get(w.workspace_id) === w.newest) continue;
    await linkIdentities(db, w.workspace_id);
    lastRun.set(w.workspace_id, w.newest);
  }
  for (const w of ws) await freshStats(db, w.workspace_id, now);
  while ((await purgeRawPayloads(db, now)) > 0);
}
