// The misinformation tables: claims, domain lists, settings, and the database's NearCopyStore.
// Claim and domain changes are events (actor, before, after), like every change a person makes.
import type { Db } from '../store/db.js';
import type { ClaimInput } from './claimreview.js';
import type { DomainEntry } from './domains.js';
import { MAX_CANDIDATES, type NearCopyStore, type Candidate, type Member } from './campaigns.js';

export interface Actor { userId: string | null; name: string }

export interface ClaimRow {
  id: string; text_de: string | null; text_en: string | null; verdict: string; fact_check_url: string | null;
  reply_de: string | null; reply_en: string | null; origin: string; created_at: Date; updated_at: Date;
}
const CLAIM_COLUMNS = 'id, text_de, text_en, verdict, fact_check_url, reply_de, reply_en, origin, created_at, updated_at';

export const claimOut = (r: ClaimRow) => ({
  id: r.id, textDe: r.text_de, textEn: r.text_en, verdict: r.verdict, factCheckUrl: r.fact_check_url,
  replyDe: r.reply_de, replyEn: r.reply_en, origin: r.origin, createdAt: new Date(r.created_at).toISOString(), updatedAt: new Date(r.updated_at).toISOString(),
});

async function event(db: Db, ws: string, actor: Actor, type: string, data: unknown, itemId: number | null = null) {
  await db.query(`insert into events (workspace_id, item_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, $5, $6)`,
    [ws, itemId, actor.userId, `person:${actor.name}`, type, JSON.stringify(data)]);
}

export async function listClaims(db: Db, ws: string): Promise<ClaimRow[]> {
  return db.query<ClaimRow>(`select ${CLAIM_COLUMNS} from claims where workspace_id = $1 order by created_at desc, id`, [ws]);
}

/** Adds claims; one already there (same fact-check URL and text) is left as it is. Returns the new ones. */
export async function addClaims(db: Db, ws: string, actor: Actor, claims: ClaimInput[], origin: string): Promise<ClaimRow[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.query<ClaimRow>(
      `insert into claims (workspace_id, text_de, text_en, verdict, fact_check_url, reply_de, reply_en, origin, created_by)
       select $1, c."textDe", c."textEn", c.verdict, c."factCheckUrl", c."replyDe", c."replyEn", $3, $4
       from jsonb_to_recordset($2::jsonb) as c("textDe" text, "textEn" text, verdict text, "factCheckUrl" text, "replyDe" text, "replyEn" text)
       on conflict do nothing returning ${CLAIM_COLUMNS}`, [ws, JSON.stringify(claims), origin, actor.userId]);
    if (rows.length) await event(tx, ws, actor, 'misinfo.claims.add', { origin, claims: rows.map(claimOut) });
    return rows;
  });
}

export async function updateClaim(db: Db, ws: string, actor: Actor, id: string, c: ClaimInput): Promise<ClaimRow | null> {
  return db.transaction(async (tx) => {
    const [before] = await tx.query<ClaimRow>(`select ${CLAIM_COLUMNS} from claims where workspace_id = $1 and id = $2 for update`, [ws, id]);
    if (!before) return null;
    const [after] = await tx.query<ClaimRow>(
      `update claims set text_de = $3, text_en = $4, verdict = $5, fact_check_url = $6, reply_de = $7, reply_en = $8, updated_at = now()
       where workspace_id = $1 and id = $2 returning ${CLAIM_COLUMNS}`, [ws, id, c.textDe, c.textEn, c.verdict, c.factCheckUrl, c.replyDe, c.replyEn]);
    await event(tx, ws, actor, 'misinfo.claim.update', { before: claimOut(before), after: claimOut(after) });
    return after;
  });
}

export async function deleteClaim(db: Db, ws: string, actor: Actor, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx.query<ClaimRow>(`delete from claims where workspace_id = $1 and id = $2 returning ${CLAIM_COLUMNS}`, [ws, id]);
    if (before) await event(tx, ws, actor, 'misinfo.claim.delete', { before: claimOut(before) });
    return !!before;
  });
}

/** A version of the workspace's claims: the matcher's cache is rebuilt when it changes. */
export async function claimsVersion(db: Db, ws: string): Promise<string> {
  const [r] = await db.query<{ v: string }>(`select count(*)::text || ':' || coalesce(max(updated_at)::text, '') || ':' || coalesce(max(created_at)::text, '') as v from claims where workspace_id = $1`, [ws]);
  return r.v;
}

export async function listDomains(db: Db, ws: string): Promise<DomainEntry[]> {
  return db.query<DomainEntry>(`select domain, category, note from misinfo_domains where workspace_id = $1 order by domain`, [ws]);
}

/** Sets entries (a domain already listed gets the new category and note). */
export async function saveDomains(db: Db, ws: string, actor: Actor, entries: DomainEntry[]): Promise<number> {
  return db.transaction(async (tx) => {
    const before = await tx.query<DomainEntry>(`select domain, category, note from misinfo_domains where workspace_id = $1 and domain = any($2::text[])`, [ws, entries.map((e) => e.domain)]);
    await tx.query(
      `insert into misinfo_domains (workspace_id, domain, category, note, updated_by)
       select $1, e.domain, e.category, e.note, $3 from jsonb_to_recordset($2::jsonb) as e(domain text, category text, note text)
       on conflict (workspace_id, domain) do update set category = excluded.category, note = excluded.note, updated_by = excluded.updated_by, updated_at = now()`,
      [ws, JSON.stringify(entries), actor.userId]);
    await event(tx, ws, actor, 'misinfo.domains.save', { before, after: entries });
    return entries.length;
  });
}

export async function deleteDomain(db: Db, ws: string, actor: Actor, domain: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [before] = await tx.query<DomainEntry>(`delete from misinfo_domains where workspace_id = $1 and domain = $2 returning domain, category, note`, [ws, domain]);
    if (before) await event(tx, ws, actor, 'misinfo.domain.delete', { before });
    return !!before;
  });
}

export interface MisinfoSettings {
  resolveShorteners: boolean; campaignMinAccounts: number; campaignWindowHours: number;
  linkWaveMinAccounts: number; linkWaveWindowHours: number; newAccountDays: number;
  newcomerMinAuthors: number; newcomerWindowMinutes: number;
}
const SETTINGS_COLUMNS: [keyof MisinfoSettings, string, boolean | number][] = [
  ['resolveShorteners', 'resolve_shorteners', false], ['campaignMinAccounts', 'campaign_min_accounts', 5], ['campaignWindowHours', 'campaign_window_hours', 48],
  ['linkWaveMinAccounts', 'link_wave_min_accounts', 5], ['linkWaveWindowHours', 'link_wave_window_hours', 24], ['newAccountDays', 'new_account_days', 7],
  ['newcomerMinAuthors', 'newcomer_min_authors', 5], ['newcomerWindowMinutes', 'newcomer_window_minutes', 60],
];
export async function getSettings(db: Db, ws: string): Promise<MisinfoSettings> {
  const [r] = await db.query<any>(`select ${SETTINGS_COLUMNS.map(([, c]) => c).join(', ')} from misinfo_settings where workspace_id = $1`, [ws]);
  return Object.fromEntries(SETTINGS_COLUMNS.map(([k, c, d]) => [k, r?.[c] ?? d])) as unknown as MisinfoSettings;
}
export async function saveSettings(db: Db, ws: string, actor: Actor, s: MisinfoSettings): Promise<MisinfoSettings> {
  return db.transaction(async (tx) => {
    const before = await getSettings(tx, ws);
    const cols = SETTINGS_COLUMNS.map(([, c]) => c);
    await tx.query(
      `insert into misinfo_settings (workspace_id, ${cols.join(', ')}) values ($1, ${cols.map((_, i) => `$${i + 2}`).join(', ')})
       on conflict (workspace_id) do update set ${cols.map((c) => `${c} = excluded.${c}`).join(', ')}, updated_at = now()`,
      [ws, ...SETTINGS_COLUMNS.map(([k]) => s[k])]);
    await event(tx, ws, actor, 'misinfo.settings', { before, after: s });
    return s;
  });
}

export interface CampaignSize { items: number; accounts: number }
export type BatchNearCopyStore = NearCopyStore & {
  /** Writes the batch's signatures, bands and campaign members; returns the touched campaigns' sizes after it. */
  flush(): Promise<Map<number, CampaignSize>>;
};

/**
 * The near-copy store for one analyse batch: the candidates of all its items are read in one
 * query, and at the end (flush) its signatures and bands go in one statement and its campaign
 * members in another, instead of round trips per item; items of the same batch see each other.
 * Only a new campaign is written at once (its id is needed; they are rare).
 */
export async function batchNearCopyStore(db: Db, workspaceId: string, batch: { bands: number[]; createdAt: Date }[], windowHours: number): Promise<BatchNearCopyStore> {
  const buckets = new Map<number, Candidate[]>();
  const add = (c: Candidate, bands: number[]) => { for (const b of bands) { const l = buckets.get(b); if (l) l.push(c); else buckets.set(b, [c]); } };
  const window = windowHours * 3_600_000;
  const times = batch.map((b) => b.createdAt.getTime());
  const allBands = [...new Set(batch.flatMap((b) => b.bands))];
  if (allBands.length) {
    const rows = await db.query<{ id: number; signature: number[]; author: string | null; campaign_id: number | null; created_at: Date; bands: number[] }>(
      `select s.item_id as id, s.signature, s.author, s.created_at, b.bands,
         (select ci.campaign_id from campaign_items ci where ci.item_id = s.item_id order by ci.campaign_id limit 1) as campaign_id
       from (select item_id, array_agg(band) as bands from misinfo_bands
             where workspace_id = $1 and band = any($2::int[]) and created_at between $3 and $4 group by item_id order by item_id desc limit 5000) b
       join misinfo_signatures s on s.item_id = b.item_id
       order by s.item_id`,
      [workspaceId, allBands, new Date(Math.min(...times) - window), new Date(Math.max(...times) + window)]);
    for (const r of rows) add({ id: Number(r.id), signature: r.signature, author: r.author, campaignId: r.campaign_id === null ? null : Number(r.campaign_id), createdAt: new Date(r.created_at) }, r.bands);
  }
  const pending: { item_id: number; author: string | null; created_at: Date; signature: number[]; bands: number[] }[] = [];
  const joins: { campaign_id: number; item_id: number; similarity: number }[] = [];
  const byId = new Map<number, Candidate>();
  const mark = (campaignId: number, members: Member[]) => {
    for (const m of members) {
      const c = byId.get(m.id);
      if (c && c.campaignId === null) c.campaignId = campaignId;
      joins.push({ campaign_id: campaignId, item_id: m.id, similarity: m.similarity });
    }
  };
  return {
    candidates(_ws, bands, since, until, exclude) {
      const seen = new Set<number>();
      const out: Candidate[] = [];
      for (const b of bands) {
        const bucket = buckets.get(b) ?? [];
        for (let k = bucket.length - 1; k >= 0 && out.length < MAX_CANDIDATES; k--) {
          const c = bucket[k];
          if (c.id === exclude || seen.has(c.id) || c.createdAt < since || c.createdAt > until) continue;
          seen.add(c.id);
          byId.set(c.id, c);
          out.push(c);
        }
      }
      return out;
    },
    remember(item, signature, bands) {
      const c: Candidate = { id: item.id, signature, author: item.author, campaignId: null, createdAt: item.createdAt };
      byId.set(item.id, c);
      add(c, bands);
      pending.push({ item_id: item.id, author: item.author, created_at: item.createdAt, signature: Array.from(signature), bands });
    },
    join(campaignId, members) {
      mark(campaignId, members);
    },
    async create(item, members) {
      const times = members.map((m) => m.createdAt.getTime());
      const [c] = await db.query<{ id: number }>(`insert into campaigns (workspace_id, kind, sample, first_seen, last_seen) values ($1, 'copies', $2, $3, $4) returning id`,
        [item.workspaceId, item.text.slice(0, 500), new Date(Math.min(...times)), new Date(Math.max(...times))]);
      const id = Number(c.id);
      mark(id, members);
      return id;
    },
    async flush() {
      if (pending.length) {
        await db.query(
          `with x as (select * from jsonb_to_recordset($2::jsonb) as x(item_id bigint, author text, created_at timestamptz, signature int[], bands int[])),
             s as (insert into misinfo_signatures (item_id, workspace_id, signature, author, created_at) select item_id, $1, signature, author, created_at from x
                   on conflict (item_id) do update set signature = excluded.signature, author = excluded.author, created_at = excluded.created_at)
           insert into misinfo_bands (workspace_id, band, item_id, created_at)
           select $1, b.band, x.item_id, x.created_at from x cross join lateral unnest(x.bands) as b(band) on conflict do nothing`,
          [workspaceId, JSON.stringify(pending)]);
        pending.length = 0;
      }
      const sizes = new Map<number, CampaignSize>();
      if (!joins.length) return sizes;
      // One statement for all campaigns of the batch: the new members, how many of their
      // accounts each campaign did not have yet (found through the author index, so a large
      // campaign costs no more than a small one; the CTE's reads see the campaigns before this
      // insert), the counts and times; and the sizes of campaigns that got nothing new.
      const rows = await db.query<{ id: number; items: number; accounts: number }>(
        `with x as (select distinct on (campaign_id, item_id) * from jsonb_to_recordset($1::jsonb) as x(campaign_id bigint, item_id bigint, similarity real)),
           ins as (insert into campaign_items (campaign_id, item_id, similarity) select campaign_id, item_id, similarity from x
                   on conflict do nothing returning campaign_id, item_id),
           per as (select ins.campaign_id, count(*)::int as n, min(i.created_at) as first, max(i.created_at) as last,
                     count(distinct coalesce(i.author_platform_id, 'item:' || i.id)) filter (where i.author_platform_id is null or not exists (
                       select 1 from items j join campaign_items ci on ci.item_id = j.id and ci.campaign_id = ins.campaign_id
                       where j.workspace_id = i.workspace_id and j.author_platform_id = i.author_platform_id))::int as fresh
                   from ins join items i on i.id = ins.item_id group by ins.campaign_id),
           upd as (update campaigns c set items = c.items + per.n, accounts = c.accounts + per.fresh,
                     first_seen = least(c.first_seen, per.first), last_seen = greatest(c.last_seen, per.last)
                   from per where c.id = per.campaign_id returning c.id, c.items, c.accounts)
         select id, items, accounts from upd
         union all select id, items, accounts from campaigns where id in (select campaign_id from x) and id not in (select id from upd)`,
        [JSON.stringify(joins)]);
      joins.length = 0;
      for (const r of rows) sizes.set(Number(r.id), { items: r.items, accounts: r.accounts });
      return sizes;
    },
  };
}
