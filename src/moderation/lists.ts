// Word lists per workspace: the shipped German and English lists plus the workspace's own,
// compiled once and cached until the workspace edits a list.
import type { Db } from '../store/db.js';
import { loadShippedLists, parseWordListText } from './wordlists/shipped.js';
import type { CompiledList } from './wordlists/matcher.js';

const CACHE_MS = 5_000;
let shipped: CompiledList[] | null = null;
const cache = new Map<string, { at: number; stamp: string; lists: CompiledList[] }>();

export async function workspaceLists(db: Db, workspaceId: string): Promise<CompiledList[]> {
  shipped ??= loadShippedLists();
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.lists;
  const [{ stamp }] = await db.query<{ stamp: string }>(
    `select coalesce(max(updated_at)::text, '') || ':' || count(*) as stamp from word_lists where workspace_id = $1`, [workspaceId]);
  if (hit && hit.stamp === stamp) { hit.at = Date.now(); return hit.lists; }
  const own = await db.query<{ name: string; source: string }>('select name, source from word_lists where workspace_id = $1 order by name', [workspaceId]);
  const lists = [...shipped];
  for (const l of own) {
    // Saved lists were validated on save; a list that no longer parses is skipped, not fatal.
    const parsed = parseWordListText(l.source, l.name);
    if (parsed.list) lists.push(parsed.list);
  }
  cache.set(workspaceId, { at: Date.now(), stamp, lists });
  return lists;
}
