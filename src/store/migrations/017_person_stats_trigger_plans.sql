-- The person_stats triggers of 015 that read transition tables plan their statement at each firing.
--
-- PL/pgSQL prepares a static statement once per session and keeps the plan; a statement without
-- parameters keeps one generic plan, made for the size the transition tables had at the session's
-- first firing. applyMerges (src/people/merge.ts) first updates the surviving persons' tags, which
-- mostly changes no row, so a session's plan for person_stats_persons_changed was made for empty
-- old and new tables: a nested loop comparing every old row with every new row. The next update of
-- persons, the linker's 17,971 merges in bench/commons.ts, ran it as 323 million comparisons: 25-36 s
-- of the 27-44 s identity linking took there (4-5 s without the triggers; 5-8 s with this file). The
-- same can happen to the identities trigger (a split moves one identity first) and, the other way
-- round, to the items trigger (a plan made for a large first batch reads every item for each small
-- batch after: 260-320 ms instead of 4-7 ms for one row in a test at 1,000,000 rows). EXECUTE plans
-- the statement at each firing, with the transition tables' real row counts (about a millisecond per
-- statement, not per row). What the statements mark dirty is what 015's marked.

create or replace function person_stats_items_changed() returns trigger language plpgsql as $$
begin
  execute $sql$
  insert into person_stats_dirty (workspace_id, person_id)
  select d.workspace_id, d.person_id from changed n join identities d on d.id = n.identity_id
  union
  select d.workspace_id, d.person_id from changed n
    join items p on p.connection_id = n.connection_id and p.platform_id = n.parent_id
    join identities d on d.id = p.identity_id
  where n.parent_id is not null
  $sql$;
  return null;
end $$;

-- The persons the moved identities replied to are found from each moved identity's own items
-- (items_identity, then the parent by its key): the lateral subquery with `offset 0` is not merged
-- into the outer query, so its two lookups stay per identity. Left to itself the planner joined all
-- items with their parents (two full reads of items: 1.4 s for the linker's 17,971 moved identities
-- at 1,000,000 items) before keeping the 27,243 replies of the moved ones (0.6 s this way).
-- No JIT: the planner costs the per-identity lookups high, and compiling took 0.6-1.1 s, more than
-- the statement itself.
create or replace function person_stats_identities_moved() returns trigger language plpgsql set jit = off as $$
begin
  execute $sql$
  insert into person_stats_dirty (workspace_id, person_id)
  select o.workspace_id, o.person_id from old_ids o join new_ids n on n.id = o.id where n.person_id <> o.person_id
  union
  select n.workspace_id, n.person_id from old_ids o join new_ids n on n.id = o.id where n.person_id <> o.person_id
  union
  select d.workspace_id, d.person_id from old_ids o join new_ids n on n.id = o.id and n.person_id <> o.person_id
    cross join lateral (
      select p.identity_id from items c join items p on p.connection_id = c.connection_id and p.platform_id = c.parent_id
      where c.identity_id = n.id and c.parent_id is not null offset 0) r
    join identities d on d.id = r.identity_id
  $sql$;
  return null;
end $$;

create or replace function person_stats_persons_changed() returns trigger language plpgsql as $$
begin
  execute $sql$
  insert into person_stats_dirty (workspace_id, person_id)
  select n.workspace_id, n.id from old_persons o join new_persons n on n.id = o.id
  where n.merged_into is distinct from o.merged_into or n.erased_at is distinct from o.erased_at
  $sql$;
  return null;
end $$;
