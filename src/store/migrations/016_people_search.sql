-- The people lists' filters through indexes (measured in bench/README.md, "People lists").
--
-- Search: a substring of a person's name or of a handle (ILIKE '%…%') reads trigram indexes
-- (pg_trgm) instead of every name and handle of the workspace. pg_trgm is in PostgreSQL's contrib
-- (a trusted extension: the database owner may create it) and in PGlite when it is opened with it
-- (src/store/db.ts). Where it is not available or may not be created, the search stays a scan and
-- gives the same answers, so the migration goes on without it.
do $$
begin
  if exists (select 1 from pg_available_extensions where name = 'pg_trgm') then
    create extension if not exists pg_trgm;
    execute 'create index persons_name_trgm on persons using gin (display_name gin_trgm_ops)';
    execute 'create index identities_handle_trgm on identities using gin (handle gin_trgm_ops)';
  else
    raise notice 'pg_trgm is not available: the people search reads every name and handle';
  end if;
exception when insufficient_privilege then
  raise notice 'pg_trgm may not be created here: the people search reads every name and handle';
end $$;

-- Platform filter: the persons with an identity on a platform, from the index alone.
create index identities_platform_person on identities (workspace_id, platform, person_id);

-- The list's other orders (most items, widest reach, longest without the team) read a page from an
-- index instead of sorting every person of the workspace.
create index person_stats_items on person_stats (workspace_id, items_90 desc, last_item_at desc nulls last, person_id desc);
create index person_stats_reach on person_stats (workspace_id, reach_90 desc, last_item_at desc nulls last, person_id desc);
create index person_stats_team on person_stats (workspace_id, last_team_at asc nulls first, last_item_at desc nulls last, person_id desc);
