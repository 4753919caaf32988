// The workspace's rules: its saved rule text, or the cautious starting rules.
import type { Db } from '../store/db.js';
import { compileRules, type CompiledRule } from './rules/evaluate.js';
import { DEFAULT_RULES } from './default-rules.js';
import { workspaceCache } from './cache.js';

export async function ruleSource(db: Db, workspaceId: string): Promise<{ source: string; version: number }> {
  const [row] = await db.query<{ source: string; version: number }>('select source, version from rulesets where workspace_id = $1', [workspaceId]);
  return row ?? { source: DEFAULT_RULES, version: 0 };
}

const cache = workspaceCache<CompiledRule[]>(
  async (db, ws) => String((await db.query<{ version: number }>('select version from rulesets where workspace_id = $1', [ws]))[0]?.version ?? 0),
  async (db, ws) => {
    const compiled = compileRules((await ruleSource(db, ws)).source);
    // Saved rules were validated on save; should they stop compiling (a newer Allmende), no rule
    // runs rather than a half-understood one, and the rules page shows the errors.
    return compiled.ok ? compiled.rules : [];
  });

export const workspaceRules = (db: Db, workspaceId: string): Promise<CompiledRule[]> => cache.get(db, workspaceId);
export const forgetRules = (workspaceId: string): void => cache.forget(workspaceId);
