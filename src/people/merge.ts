// Merge and split persons. A merge moves the identities (and notes, tags, custom fields) of one
// person into another and keeps the merged person as a row pointing at it; the event records
// exactly what moved, so a split puts it back. Set-based, so the linker merges thousands at once.
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';

export interface MergeRequest {
  into: number;
  from: number;
  /** What made us think so (the link's evidence), kept in the event. */
  evidence?: unknown;
}

export interface Actor { userId: string | null; name: string }


/**
 * Merges each `from` into its `into` (chains a→b, b→c are resolved to the final person).
 * Returns the number of merges done; a pair already in one person is skipped.
 */
export async function applyMerges(tx: Db, workspaceId: string, requests: MergeRequest[], actor: Actor): Promise<number> {
  if (!requests.length) return 0;
  // Union-find over the requested pairs: every person ends in one root, the `into` side.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.has(r) && parent.get(r) !== r) r = parent.get(r)!;
    let c = x;
    while (c !== r) { const n = parent.get(c)!; parent.set(c, r); c = n; }
    return r;
  };
  const evidence = new Map<number, unknown>();
  for (const r of requests) {
    const a = find(r.into), b = find(r.from);
    if (a === b) continue;
    parent.set(b, a);
    parent.set(a, a);
    evidence.set(b, r.evidence ?? null);
  }
  const pairs = [...parent.keys()].filter((p) => find(p) !== p).map((p) => ({ from_id: p, into_id: find(p), evidence: evidence.get(p) ?? null }));
  if (!pairs.length) return 0;
  const live = await tx.query<{ id: number }>(
    `select id from persons where workspace_id = $1 and merged_into is null and erased_at is null and id = any($2::bigint[]) order by id for update`,
    [workspaceId, [...new Set(pairs.flatMap((p) => [p.from_id, p.into_id]))]]);
  const alive = new Set(live.map((l) => l.id));
  const usable = pairs.filter((p) => alive.has(p.from_id) && alive.has(p.into_id));
  if (!usable.length) return 0;
  // Arrays (unnest) rather than JSON: the linker merges tens of thousands at once.
  const args = [workspaceId, usable.map((p) => p.into_id), usable.map((p) => p.from_id)];
  // The event first: it records what the `from` person had before anything moves.
  await tx.query(
    `insert into events (workspace_id, person_id, actor_user_id, actor, type, data)
     select $1, m.into_id, $4, $5, 'person.merged', jsonb_build_object(
       'into', m.into_id, 'from', m.from_id, 'evidence', m.evidence,
       'identities', coalesce(di.ids, '[]'), 'notes', coalesce(dn.ids, '[]'),
       'before', jsonb_build_object(
         'into', jsonb_build_object('displayName', pi.display_name, 'tags', pi.tags, 'fields', pi.fields),
         'from', jsonb_build_object('displayName', pf.display_name, 'tags', pf.tags, 'fields', pf.fields)))
     from unnest($2::bigint[], $3::bigint[], $6::jsonb[]) as m(into_id, from_id, evidence)
     join persons pi on pi.id = m.into_id join persons pf on pf.id = m.from_id
     -- Grouped once and joined (not a subquery per merge): the linker merges tens of thousands.
     left join (select person_id, jsonb_agg(id order by id) as ids from identities where person_id = any($3::bigint[]) group by person_id) di on di.person_id = m.from_id
     left join (select person_id, jsonb_agg(id order by id) as ids from person_notes where person_id = any($3::bigint[]) group by person_id) dn on dn.person_id = m.from_id`,
    [...args, actor.userId, actor.name, usable.map((p) => JSON.stringify(p.evidence))]);
  // The surviving person gets the union of tags, the fields it lacks, and the earliest first seen.
  await tx.query(
    `update persons p set
       tags = (select coalesce(array_agg(distinct t order by t), '{}') from (
                 select unnest(p.tags) as t union select unnest(f.tags) from persons f where f.id = any(g.children)) x),
       fields = (select coalesce(jsonb_object_agg(e.k, e.v), '{}') from persons f, jsonb_each(f.fields) as e(k, v) where f.id = any(g.children)) || p.fields,
       first_seen_at = least(p.first_seen_at, (select min(f.first_seen_at) from persons f where f.id = any(g.children))),
       updated_at = now()
     from (select m.into_id, array_agg(m.from_id) as children from unnest($2::bigint[], $3::bigint[]) as m(into_id, from_id) group by m.into_id) g
     where p.id = g.into_id and p.workspace_id = $1
       -- Most merged persons are fresh from ingest: nothing to carry over, no row to rewrite.
       and exists (select 1 from persons f where f.id = any(g.children) and (f.tags <> '{}' or f.fields <> '{}' or f.first_seen_at < p.first_seen_at))`, args);
  await tx.query(
    `update identities d set person_id = m.into_id from unnest($2::bigint[], $3::bigint[]) as m(into_id, from_id)
     where d.person_id = m.from_id and d.workspace_id = $1`, args);
  await tx.query(
    `update person_notes n set person_id = m.into_id from unnest($2::bigint[], $3::bigint[]) as m(into_id, from_id)
     where n.person_id = m.from_id and n.workspace_id = $1`, args);
  await tx.query(
    `update persons p set merged_into = m.into_id, updated_at = now() from unnest($2::bigint[], $3::bigint[]) as m(into_id, from_id)
     where p.id = m.from_id and p.workspace_id = $1`, args);
  return usable.length;
}

/**
 * Undoes one merge: the identities and notes the merge moved go back to the merged person, which
 * is a person of its own again; its tags and fields are as they were before the merge. The pair's
 * links are marked 'split' so the linker never merges them again by itself.
 */
export async function splitMerge(db: Db, workspaceId: string, mergeEventId: number, actor: Actor): Promise<{ personId: number; restored: number }> {
  return db.transaction(async (tx) => {
    const [ev] = await tx.query<{ data: any }>(
      `select data from events where id = $1 and workspace_id = $2 and type = 'person.merged'`, [mergeEventId, workspaceId]);
    if (!ev) throw new HttpError(404, 'not_found', `no merge ${mergeEventId} in this workspace`);
    const { into, from } = ev.data as { into: number; from: number };
    const [undone] = await tx.query(`select 1 from events where workspace_id = $1 and type = 'person.split' and (data->>'mergeEvent')::bigint = $2`, [workspaceId, mergeEventId]);
    if (undone) throw new HttpError(409, 'already_split', `merge ${mergeEventId} was split already`);
    const [target] = await tx.query<{ id: number; merged_into: number | null; erased_at: string | null }>(
      `select id, merged_into, erased_at from persons where id = $1 and workspace_id = $2 for update`, [from, workspaceId]);
    if (!target || target.erased_at) throw new HttpError(409, 'person_gone', 'the merged person no longer exists');
    // Identities may have moved on with a later merge of `into`: take them from wherever they are now.
    const moved = await tx.query<{ id: number; person_id: number }>(
      `update identities d set person_id = $1 from identities o
       where d.id = o.id and d.workspace_id = $2 and d.id = any($3::bigint[]) returning d.id, o.person_id`,
      [from, workspaceId, (ev.data.identities as number[]) ?? []]);
    await tx.query(`update person_notes set person_id = $1 where workspace_id = $2 and id = any($3::bigint[])`, [from, workspaceId, (ev.data.notes as number[]) ?? []]);
    const before = ev.data.before?.from ?? {};
    await tx.query(`update persons set merged_into = null, tags = $2, fields = $3, updated_at = now() where id = $1`,
      [from, before.tags ?? [], JSON.stringify(before.fields ?? {})]);
    await tx.query(
      `update identity_links set state = 'split', decided_by = $3, decided_at = now()
       where workspace_id = $1 and ((identity_a = any($2::bigint[]) and identity_b in (select id from identities where person_id = $4))
          or (identity_b = any($2::bigint[]) and identity_a in (select id from identities where person_id = $4)))`,
      [workspaceId, moved.map((m) => m.id), actor.userId, into]);
    // Pairs that were merged without a link row (a manual merge) get one, so the linker leaves them apart.
    await tx.query(
      `insert into identity_links (workspace_id, identity_a, identity_b, strength, score, evidence, state, decided_by, decided_at)
       select $1, least(a.id, b.id), greatest(a.id, b.id), 'weak', 0, '[]', 'split', $3, now()
       from identities a, identities b where a.id = any($2::bigint[]) and b.person_id = $4
       on conflict (identity_a, identity_b) do update set state = 'split', decided_by = excluded.decided_by, decided_at = now()`,
      [workspaceId, moved.map((m) => m.id), actor.userId, into]);
    await tx.query(
      `insert into events (workspace_id, person_id, actor_user_id, actor, type, data) values ($1, $2, $3, $4, 'person.split', $5)`,
      [workspaceId, from, actor.userId, actor.name, JSON.stringify({ mergeEvent: mergeEventId, into, from, before: { identities: moved.map((m) => ({ id: m.id, person: m.person_id })) }, after: { person: from } })]);
    return { personId: from, restored: moved.length };
  });
}
