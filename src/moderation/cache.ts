// One cache per workspace for what is built from the workspace's settings (word lists, rules,
// models, external classifiers). Building is costly and the pipeline asks for every batch, so a
// value is trusted for a few seconds, then a cheap stamp (a version, the latest change time) is
// read again, and the value is rebuilt only when the stamp moved.
import type { Db } from '../store/db.js';

const TRUST_MS = 5_000;

export interface WorkspaceCache<T> {
  get(db: Db, workspaceId: string): Promise<T>;
  /** Drop the workspace's value (after this process changed its settings). */
  forget(workspaceId: string): void;
}

export function workspaceCache<T>(
  loadStamp: (db: Db, workspaceId: string) => Promise<string>,
  build: (db: Db, workspaceId: string) => Promise<T>,
): WorkspaceCache<T> {
  const entries = new Map<string, { at: number; stamp: string; value: T }>();
  return {
    async get(db, workspaceId) {
      const hit = entries.get(workspaceId);
      if (hit && Date.now() - hit.at < TRUST_MS) return hit.value;
      const stamp = await loadStamp(db, workspaceId);
      if (hit && hit.stamp === stamp) { hit.at = Date.now(); return hit.value; }
      const value = await build(db, workspaceId);
      entries.set(workspaceId, { at: Date.now(), stamp, value });
      return value;
    },
    forget(workspaceId) {
      entries.delete(workspaceId);
    },
  };
}
