// Word lists per workspace: the shipped German and English lists plus the workspace's own,
// compiled once and cached until the workspace edits a list.
import type { Db } from '../store/db.js';
import { loadShippedLists, parseWordListText } from './wordlists/shipped.js';
import type { CompiledList } from './wordlists/matcher.js';
import { workspaceCache } from './cache.js';

const cache = workspaceCache<CompiledList[]>(
  async (db, ws) => (await db.query<{ stamp: string }>(
    `select coalesce(max(updated_at)::text, '') || ':' || count(*) as stamp from word_lists where workspace_id = $1`, [ws]))[0].stamp,
  async (db, ws) => {
    const own = await db.query<{ name: string; source: string }>('select name, source from word_lists where workspace_id = $1 order by name', [ws]);
    const lists = loadShippedLists();
    for (const l of own) {
      // Saved lists were validated on save; a list that no longer parses is skipped, not fatal.
      const parsed = parseWordListText(l.source, l.name);
      if (parsed.list) lists.push(parsed.list);
    }
    return lists;
  });

export const workspaceLists = (db: Db, workspaceId: string): Promise<CompiledList[]> => cache.get(db, workspaceId);
export const forgetLists = (workspaceId: string): void => cache.forget(workspaceId);
