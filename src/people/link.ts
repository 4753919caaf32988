// Identity linking: finds identities that are one human, merges them when the evidence is strong
// and suggests them (with the evidence) when it is weaker. Strong: the same e-mail verified by
// both platforms; a profile that links to the other account; the same handle on two platforms
// plus a similar display name. Weak: the same e-mail unverified on one side (a From address can
// be forged), or the same handle with a different name. A pair a person dismissed or split is
// never merged automatically again. Call `linkIdentities(db, workspaceId)`; it is idempotent.
import type { Db } from '../store/db.js';
import { addressesOf, handleBase, nameSimilarity, profileOf, SIMILAR_NAME } from './evidence.js';
import { applyMerges } from './merge.js';

export interface Evidence { kind: 'verified_email' | 'same_email' | 'profile_link' | 'same_handle' | 'similar_name'; detail: string }
interface Pair { a: number; b: number; strong: boolean; score: number; evidence: Evidence[] }
interface IdentityRow {
  id: number; platform: string; platform_user_id: string; handle: string | null; display_name: string | null;
  profile_url: string | null; email: string | null; email_verified: boolean; profile_links: string[]; person_id: number;
}

export interface LinkResult { identities: number; profilesRead: number; strong: number; weak: number; merged: number; ms: number }

/** A handle shared by more accounts than this is too common to say anything (e.g. "info"). */
const MAX_HANDLE_GROUP = 20;
const BATCH = 5000;

export async function linkIdentities(db: Db, workspaceId: string, opts: { log?: (m: string) => void } = {}): Promise<LinkResult> {
  const started = Date.now();
  const log = opts.log ?? (() => {});
  const profilesRead = await gatherProfiles(db, workspaceId);
  log(`profiles read: ${profilesRead}`);
  const ids = await db.query<IdentityRow>(
    `select id, platform, platform_user_id, handle, display_name, profile_url, email, email_verified, profile_links, person_id
     from identities where workspace_id = $1`, [workspaceId]);
  log(`identities read: ${ids.length}`);
  const pairs = findPairs(ids);
  log(`candidate pairs: ${pairs.size}`);
  const list = [...pairs.values()];
  for (let i = 0; i < list.length; i += BATCH) {
    const part = list.slice(i, i + BATCH);
    await db.query(
      `insert into identity_links (workspace_id, identity_a, identity_b, strength, score, evidence)
       select $1, a, b, s, sc, e from jsonb_to_recordset($2::jsonb) as x(a bigint, b bigint, s text, sc real, e jsonb)
       on conflict (identity_a, identity_b) do update set strength = excluded.strength, score = excluded.score, evidence = excluded.evidence
       where identity_links.state = 'open'`,
      [workspaceId, JSON.stringify(part.map((p) => ({ a: p.a, b: p.b, s: p.strong ? 'strong' : 'weak', sc: p.score, e: p.evidence })))]);
  }
  log('links stored');
  // Strong, still open links between two different persons are merged.
  const merged = await db.transaction(async (tx) => {
    const due = await tx.query<{ id: number; pa: number; pb: number; evidence: Evidence[] }>(
      `select l.id, a.person_id as pa, b.person_id as pb, l.evidence from identity_links l
       join identities a on a.id = l.identity_a join identities b on b.id = l.identity_b
       where l.workspace_id = $1 and l.state = 'open' and l.strength = 'strong'`, [workspaceId]);
    // A pair someone split stays apart, also through a third identity: the merge is skipped when
    // the two persons hold any pair that was split or dismissed.
    const blocked = await tx.query<{ pa: number; pb: number }>(
      `select a.person_id as pa, b.person_id as pb from identity_links l
       join identities a on a.id = l.identity_a join identities b on b.id = l.identity_b
       where l.workspace_id = $1 and l.state in ('split', 'dismissed')`, [workspaceId]);
    const apart = new Set(blocked.map((x) => `${Math.min(x.pa, x.pb)}:${Math.max(x.pa, x.pb)}`));
    const todo = due.filter((d) => d.pa !== d.pb && !apart.has(`${Math.min(d.pa, d.pb)}:${Math.max(d.pa, d.pb)}`));
    log(`merges due: ${todo.length}`);
    const n = await applyMerges(tx, workspaceId, todo.map((d) => ({ into: Math.min(d.pa, d.pb), from: Math.max(d.pa, d.pb), evidence: d.evidence })), { userId: null, name: 'linker' });
    await tx.query(
      `update identity_links l set state = 'merged', decided_at = now() from identities a, identities b
       where l.workspace_id = $1 and l.state = 'open' and a.id = l.identity_a and b.id = l.identity_b and a.person_id = b.person_id`, [workspaceId]);
    return n;
  });
  log('merged');
  const strong = list.filter((p) => p.strong).length;
  return { identities: ids.length, profilesRead, strong, weak: list.length - strong, merged, ms: Date.now() - started };
}

/** Reads each identity's latest profile from its items' raw payloads into the identity row. */
async function gatherProfiles(db: Db, workspaceId: string): Promise<number> {
  const rows = await db.query<{ identity_id: number; p: unknown }>(
    `select distinct on (identity_id) identity_id, raw as p from items
     where workspace_id = $1 and identity_id is not null and raw is not null and jsonb_typeof(raw) = 'object'
       and (raw ? 'author' or raw ? 'account' or raw ? 'user' or raw ? 'profile')
     order by identity_id, created_at desc`, [workspaceId]);
  const found = rows.map((r) => ({ id: r.identity_id, ...profileOf(r.p) })).filter((r) => r.links !== undefined);
  for (let i = 0; i < found.length; i += BATCH) {
    await db.query(
      `update identities d set email = coalesce(x.email, d.email), email_verified = coalesce(x.v, false), bio = x.bio, profile_links = coalesce(x.links, '{}')
       from jsonb_to_recordset($2::jsonb) as x(id bigint, email text, v boolean, bio text, links text[])
       where d.id = x.id and d.workspace_id = $1`,
      [workspaceId, JSON.stringify(found.slice(i, i + BATCH).map((f) => ({ id: f.id, email: f.email, v: f.emailVerified, bio: f.bio, links: f.links })))]);
  }
  return found.length;
}

const push = <K, V>(m: Map<K, V[]>, k: K, v: V) => { const l = m.get(k); if (l) l.push(v); else m.set(k, [v]); };

/** Candidate pairs with their evidence, keyed "a:b" (a < b). Pure: the test reads it directly. */
export function findPairs(ids: IdentityRow[]): Map<string, Pair> {
  const pairs = new Map<string, Pair>();
  const add = (x: IdentityRow, y: IdentityRow, ev: Evidence) => {
    if (x.id === y.id || x.platform === y.platform && x.platform_user_id === y.platform_user_id) return;
    const [a, b] = x.id < y.id ? [x.id, y.id] : [y.id, x.id];
    const key = `${a}:${b}`;
    const p = pairs.get(key) ?? { a, b, strong: false, score: 0, evidence: [] };
    if (!p.evidence.some((e) => e.kind === ev.kind)) p.evidence.push(ev);
    pairs.set(key, p);
  };
  // E-mail: the address an identity is known by (e-mail platform: the sender) or its profile's.
  const byEmail = new Map<string, IdentityRow[]>();
  for (const d of ids) {
    const email = d.email ?? (d.platform === 'email' ? d.platform_user_id : null);
    if (email) push(byEmail, email, d);
  }
  for (const [email, group] of byEmail) {
    if (group.length > MAX_HANDLE_GROUP) continue;
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) {
      const both = group[i].email_verified && group[j].email_verified;
      add(group[i], group[j], { kind: both ? 'verified_email' : 'same_email', detail: email });
    }
  }
  // Profile links: a link in one profile that is the other account's address.
  const byAddress = new Map<string, IdentityRow[]>();
  for (const d of ids) for (const a of addressesOf(d.platform, d.handle, d.profile_url)) push(byAddress, a, d);
  for (const d of ids) {
    for (const link of d.profile_links ?? []) {
      for (const other of byAddress.get(link) ?? []) if (other.platform !== d.platform) add(d, other, { kind: 'profile_link', detail: link });
    }
  }
  // The same handle on different platforms; with a similar display name it is strong.
  const byHandle = new Map<string, IdentityRow[]>();
  for (const d of ids) {
    const h = handleBase(d.platform, d.handle);
    if (h) push(byHandle, h, d);
  }
  for (const [h, group] of byHandle) {
    if (group.length > MAX_HANDLE_GROUP) continue;
    for (let i = 0; i < group.length; i++) for (let j = i + 1; j < group.length; j++) {
      const x = group[i], y = group[j];
      if (x.platform === y.platform) continue;
      add(x, y, { kind: 'same_handle', detail: h });
      const sim = nameSimilarity(x.display_name, y.display_name);
      if (sim >= SIMILAR_NAME) add(x, y, { kind: 'similar_name', detail: `${x.display_name} ~ ${y.display_name} (${sim.toFixed(2)})` });
    }
  }
  for (const p of pairs.values()) {
    const has = (k: Evidence['kind']) => p.evidence.some((e) => e.kind === k);
    p.strong = has('verified_email') || has('profile_link') || (has('same_handle') && has('similar_name'));
    p.score = Math.min(1, (has('verified_email') ? 0.9 : 0) + (has('profile_link') ? 0.9 : 0) + (has('same_email') ? 0.5 : 0)
      + (has('same_handle') ? 0.4 : 0) + (has('similar_name') ? 0.4 : 0));
  }
  return pairs;
}
