// The misinformation analyser in the pipeline's analyse stage: known claims (with the matched
// passage), listed domains of the item's links (short links resolved where the workspace allows),
// and near-copy campaigns. Every finding is a signal with its evidence; nothing is acted on here —
// the workspace's rules decide (claim.score, claim.verdict, domain.category, campaign.accounts …).
import type { Db } from '../store/db.js';
import { insertSignals, type Analyser, type SignalRow } from '../pipeline/stages.js';
import { ClaimIndex, CLAIM_THRESHOLD } from './claim-index.js';
import { listClaims, claimsVersion, listDomains, getSettings, batchNearCopyStore } from './store.js';
import { registrableDomain, type DomainEntry } from './domains.js';
import { isShortened, resolveLink, UNSHORTEN_LIMITS } from './unshorten.js';
import { extractLinks } from '../core/text/links.js';
import { assignNearCopy, type CampaignHit } from './campaigns.js';
import { signatureOfFolded, bandKeys } from './minhash.js';

export const SOURCE = 'misinfo:1';
const PRUNE_EVERY_MS = 10 * 60_000;



interface Cached { version: string; index: ClaimIndex; claims: Map<string, { verdict: string; text: string; factCheckUrl: string | null }> }

export function misinfoAnalyser(opts: { allowPrivate?: boolean } = {}): Analyser & { name: string } {
  const cache = new Map<string, Cached>();
  let pruned = 0;
  /** Bands and signatures older than the longest window (720 h) can never be candidates again. */
  async function prune(db: Db) {
    if (Date.now() - pruned < PRUNE_EVERY_MS) return;
    pruned = Date.now();
    await db.query(`with b as (delete from misinfo_bands where created_at < now() - interval '31 days' returning item_id)
                    delete from misinfo_signatures where item_id in (select item_id from b)`);
  }
  async function claimsOf(db: Db, ws: string): Promise<Cached> {
    const version = await claimsVersion(db, ws);
    const hit = cache.get(ws);
    if (hit && hit.version === version) return hit;
    const rows = await listClaims(db, ws);
    const fresh: Cached = {
      version,
      index: new ClaimIndex(rows.map((r) => ({ id: r.id, texts: [r.text_de ?? '', r.text_en ?? ''] }))),
      claims: new Map(rows.map((r) => [r.id, { verdict: r.verdict, text: (r.text_de ?? r.text_en ?? '').slice(0, 300), factCheckUrl: r.fact_check_url }])),
    };
    cache.set(ws, fresh);
    return fresh;
  }

  return {
    name: 'misinfo',
    async analyse(db, items) {
      const out: SignalRow[] = [];
      if (!items.length) return out;
      const meta = new Map((await db.query<{ id: number; author: string | null; created_at: Date; links: string[] }>(
        `select id, author_platform_id as author, created_at, links from items where id = any($1::bigint[])`, [items.map((i) => i.id)])).map((r) => [Number(r.id), r]));
      await prune(db);
      for (const ws of new Set(items.map((i) => i.workspace_id))) {
        const claims = await claimsOf(db, ws);
        const domains = new Map<string, DomainEntry>((await listDomains(db, ws)).map((d) => [d.domain, d]));
        const settings = await getSettings(db, ws);
        const mine = items.filter((i) => i.workspace_id === ws);
        const sigs = new Map(mine.map((i) => [i.id, signatureOfFolded(i.folded)]));
        const store = await batchNearCopyStore(db, ws, mine.flatMap((i) => {
          const sig = sigs.get(i.id); const row = meta.get(i.id);
          return sig && row ? [{ bands: bandKeys(sig), createdAt: new Date(row.created_at) }] : [];
        }), settings.campaignWindowHours);
        const hits: { itemId: number; hit: CampaignHit }[] = [];
        for (const it of mine) {
          const sig = (kind: string, label: string | null, score: number | null, evidence: unknown) =>
            out.push({ item_id: it.id, workspace_id: ws, kind, label, score, evidence, source: SOURCE });
          if (claims.index.size) {
            for (const m of claims.index.match(it.normalised, CLAIM_THRESHOLD)) {
              const c = claims.claims.get(m.claimId)!;
              sig('claim', c.verdict, m.score, { claimId: m.claimId, verdict: c.verdict, claim: c.text, factCheckUrl: c.factCheckUrl, score: m.score, start: m.start, end: m.end, passage: m.passage });
            }
          }
          const row = meta.get(it.id);
          const links = [...new Set([...(row?.links ?? []), ...extractLinks(it.normalised)])];
          if (domains.size && links.length) {
            const resolved = new Map<string, string>();
            if (settings.resolveShorteners) {
              const short = links.filter((l) => isShortened(l)).slice(0, UNSHORTEN_LIMITS.perItem);
              for (const r of await Promise.all(short.map((l) => resolveLink(l, { allowPrivate: opts.allowPrivate })))) if (r.to) resolved.set(r.to, r.from);
            }
            const seen = new Set<string>();
            for (const link of [...links, ...resolved.keys()]) {
              const d = registrableDomain(link);
              const entry = d ? domains.get(d) : undefined;
              if (!entry || seen.has(entry.domain)) continue;
              seen.add(entry.domain);
              sig('domain', entry.category, 1, { domain: entry.domain, category: entry.category, note: entry.note, link, via: resolved.get(link) ?? null });
            }
          }
          if (row) {
            const hit = await assignNearCopy(store, { id: it.id, workspaceId: ws, text: it.normalised, author: row.author, createdAt: new Date(row.created_at) },
              { minAccounts: settings.campaignMinAccounts, windowHours: settings.campaignWindowHours }, sigs.get(it.id));
            if (hit) hits.push({ itemId: it.id, hit });
          }
        }
        // The campaign's size goes into the evidence as it is after the whole batch (rules read it).
        const sizes = await store.flush();
        const campaignSignal = (itemId: number, hit: CampaignHit, similarity: number): SignalRow => {
          const size = sizes.get(hit.campaignId) ?? { items: hit.members.length, accounts: hit.accounts };
          return { item_id: itemId, workspace_id: ws, kind: 'campaign', label: 'copies', score: similarity, source: SOURCE,
            evidence: { campaignId: hit.campaignId, items: size.items, accounts: size.accounts, similarity } };
        };
        // A new campaign's earlier members (they came before it had enough accounts) get the
        // signal too, so the review queue and the inbox show them as part of it. Those of this
        // batch go out with it; those of earlier batches are past this stage: stored here.
        const inBatch = new Set(mine.map((i) => i.id));
        const earlier: SignalRow[] = [];
        for (const { itemId, hit } of hits) {
          out.push(campaignSignal(itemId, hit, hit.similarity));
          for (const m of hit.members) {
            if (m.id === itemId) continue;
            (inBatch.has(m.id) ? out : earlier).push(campaignSignal(m.id, hit, m.similarity));
          }
        }
        await insertSignals(db, earlier);
      }
      return out;
    },
  };
}
