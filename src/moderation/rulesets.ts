// The workspace's rules: its saved rule text, or the cautious starting rules.
import type { Db } from '../store/db.js';
import { compileRules, type CompiledRule } from './rules/evaluate.js';
import { DEFAULT_RULES } from './default-rules.js';

const CACHE_MS = 5_000;
const cache = new Map<string, { at: number; version: number; rules: CompiledRule[] }>();

export async function ruleSource(db: Db, workspaceId: string): Promise<{ source: string; version: number }> {
  const [row] = await db.query<{ source: string; version: number }>('select source, version from rulesets where workspace_id = $1', [workspaceId]);
  return row ?? { source: DEFAULT_RULES, version: 0 };
}

export async function workspaceRules(db: Db, workspaceId: string): Promise<CompiledRule[]> {
  const hit = cache.get(workspaceId);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.rules;
  const { source, version } = await ruleSource(db, workspaceId);
  if (hit && hit.version === version) { hit.at = Date.now(); return hit.rules; }
  const compiled = compileRules(source);
  // Saved rules were validated on save; should they stop compiling (a newer Allmende), no rule
  // runs rather than a half-understood one, and the rules page shows the errors.
  const rules = compiled.ok ? compiled.rules : [];
  cache.set(workspaceId, { at: Date.now(), version, rules });
  return rules;
}

export function forgetRules(workspaceId: string): void {
  cache.delete(workspaceId);
}
