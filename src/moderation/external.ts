// External classifiers over HTTP — the contract is in docs/external-classifier.md. Each batch is
// sent signed (the webhook scheme); an answer late, malformed or failing never holds up the
// pipeline: the item goes on without that score, and a signal records why (fail-open).
import { z } from 'zod';
import type { Db } from '../store/db.js';
import type { SecretBox } from '../core/crypto.js';
import type { Analyser, SignalRow } from '../pipeline/stages.js';
import { signPayload } from '../connectors/signature.js';
import { LABELS } from './types.js';
import { workspaceCache } from './cache.js';

interface External { name: string; url: string; secret: string; timeoutMs: number }

const answer = z.object({
  results: z.array(z.object({ id: z.string(), scores: z.record(z.string(), z.number().min(0).max(1)) })),
});

// The secrets are opened once per change, not per batch.
const cache = workspaceCache<(secrets: SecretBox) => External[]>(
  async (db, ws) => (await db.query<{ stamp: string }>(
    `select coalesce(max(updated_at)::text, '') || ':' || count(*) as stamp from external_classifiers where workspace_id = $1`, [ws]))[0].stamp,
  async (db, ws) => {
    const rows = await db.query<{ name: string; url: string; secret_encrypted: string; timeout_ms: number }>(
      'select name, url, secret_encrypted, timeout_ms from external_classifiers where workspace_id = $1 and enabled order by name', [ws]);
    let opened: External[] | null = null;
    return (secrets) => (opened ??= rows.map((r) => ({ name: r.name, url: r.url, secret: secrets.open(r.secret_encrypted), timeoutMs: r.timeout_ms })));
  });

const externals = async (db: Db, secrets: SecretBox, workspaceId: string): Promise<External[]> => (await cache.get(db, workspaceId))(secrets);
export const forgetExternals = (workspaceId: string): void => cache.forget(workspaceId);

async function ask(ext: External, items: { id: number; normalised: string; language: string | null }[]): Promise<Map<string, Record<string, number>>> {
  const body = JSON.stringify({ items: items.map((i) => ({ id: String(i.id), text: i.normalised, language: i.language })) });
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(ext.url, {
    method: 'POST', body, redirect: 'error', signal: AbortSignal.timeout(ext.timeoutMs),
    headers: { 'content-type': 'application/json', 'x-allmende-timestamp': String(ts), 'x-allmende-signature': signPayload(ext.secret, ts, body) },
  });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const parsed = answer.safeParse(await res.json().catch(() => null));
  if (!parsed.success) throw new Error(`malformed answer: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  return new Map(parsed.data.results.map((r) => [r.id, r.scores]));
}

export function externalAnalyser(secrets: SecretBox): Analyser {
  return {
    async analyse(db, items) {
      const out: SignalRow[] = [];
      const byWorkspace = new Map<string, typeof items>();
      for (const it of items) byWorkspace.set(it.workspace_id, [...(byWorkspace.get(it.workspace_id) ?? []), it]);
      for (const [ws, list] of byWorkspace) {
        for (const ext of await externals(db, secrets, ws)) {
          try {
            const scores = await ask(ext, list);
            for (const it of list) {
              for (const [label, score] of Object.entries(scores.get(String(it.id)) ?? {})) {
                if (!(LABELS as readonly string[]).includes(label)) continue;
                out.push({ item_id: it.id, workspace_id: ws, kind: 'classifier', label, score, evidence: { classifier: ext.name }, source: `external:${ext.name}` });
              }
            }
          } catch (e: any) {
            const note = e.name === 'TimeoutError' ? `no answer within ${ext.timeoutMs} ms` : e.message;
            for (const it of list) out.push({ item_id: it.id, workspace_id: ws, kind: 'classifier-unavailable', label: ext.name, score: null, evidence: { note }, source: `external:${ext.name}` });
          }
        }
      }
      return out;
    },
  };
}
