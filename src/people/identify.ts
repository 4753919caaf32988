// Every item's author is an identity, and every new identity a person of its own until linking
// says otherwise. Runs inside the ingest transaction, set-based: one statement per batch makes
// the missing persons and identities, so ingest stays one round of queries however many authors.
import type { Db } from '../store/db.js';

/** The author fields of an item row as ingest builds it; identity_id is set here. */
export interface AuthorRow {
  platform: string;
  author_platform_id: string | null;
  author_handle: string | null;
  author_name: string | null;
  author_url: string | null;
  created_at: string;
  identity_id?: number | null;
}

/** The key of an author on its platform: the platform's user id, else the handle; e-mail: the address. */
export function authorKey(platform: string, platformUserId: string | null, handle: string | null): string | null {
  const key = platformUserId || handle;
  if (!key) return null;
  return platform === 'email' ? key.toLowerCase() : key;
}

export async function identifyAuthors(tx: Db, workspaceId: string, rows: AuthorRow[]): Promise<void> {
  const keyed = rows.map((r) => authorKey(r.platform, r.author_platform_id, r.author_handle));
  const at = rows.map((_, i) => i).filter((i) => keyed[i] !== null);
  if (!at.length) return;
  const params = [
    workspaceId,
    at.map((i) => rows[i].platform), at.map((i) => keyed[i]), at.map((i) => rows[i].author_handle),
    at.map((i) => rows[i].author_name), at.map((i) => rows[i].author_url), at.map((i) => rows[i].created_at),
  ];
  // New authors get a person id from the sequence first, so person and identity are made in the
  // same statement. A concurrent ingest may make the same identity first: then ours is not
  // inserted (on conflict) and its person is removed again below. Inserted in key order, so two
  // ingests wait for each other instead of deadlocking.
  const sql = `
    with incoming as (
      select distinct on (p, u) p, u, h, n, url, t from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[]) as x(p, u, h, n, url, t)
      order by p, u, t
    ), fresh as (
      select i.*, nextval(pg_get_serial_sequence('persons', 'id')) as pid from incoming i
      where not exists (select 1 from identities e where e.workspace_id = $1 and e.platform = i.p and e.platform_user_id = i.u)
    ), made_persons as (
      insert into persons (id, workspace_id, display_name, first_seen_at)
      select pid, $1, coalesce(n, h, u), t from fresh returning id
    ), made as (
      insert into identities (workspace_id, platform, platform_user_id, handle, display_name, profile_url, person_id, first_seen_at)
      select $1, p, u, h, n, url, pid, t from fresh order by p, u
      on conflict (workspace_id, platform, platform_user_id) do nothing
      returning id, platform, platform_user_id, person_id
    )
    select m.id, m.platform, m.platform_user_id, null::bigint as unused_person from made m
    union all
    select e.id, e.platform, e.platform_user_id, null from identities e join incoming i on e.workspace_id = $1 and e.platform = i.p and e.platform_user_id = i.u
    union all
    select null, null, null, f.pid from fresh f where not exists (select 1 from made m where m.person_id = f.pid)`;
  const found = await tx.query<{ id: number | null; platform: string | null; platform_user_id: string | null; unused_person: number | null }>(sql, params);
  const ids = new Map<string, number>();
  const unused: number[] = [];
  for (const f of found) {
    if (f.unused_person !== null) unused.push(f.unused_person);
    else ids.set(`${f.platform}\u0000${f.platform_user_id}`, f.id!);
  }
  if (unused.length) {
    await tx.query('delete from persons where id = any($1::bigint[])', [unused]);
    // Made by the concurrent ingest and committed after our statement began: visible now.
    const late = await tx.query<{ id: number; platform: string; platform_user_id: string }>(
      `select e.id, e.platform, e.platform_user_id from identities e join unnest($2::text[], $3::text[]) as x(p, u)
         on e.workspace_id = $1 and e.platform = x.p and e.platform_user_id = x.u`, params.slice(0, 3));
    for (const l of late) ids.set(`${l.platform}\u0000${l.platform_user_id}`, l.id);
  }
  for (const i of at) rows[i].identity_id = ids.get(`${rows[i].platform}\u0000${keyed[i]}`) ?? null;
}
