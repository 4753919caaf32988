-- Per-person figures for the people lists (activity, reach, the team's last contact, level), kept
-- so that a page of 50 does not recount a million items. One row per person in the lists: not
-- merged into another, not erased, with at least one identity. A row holds exactly what personStats()
-- computes for `computed_at`, and stays right until `next_change_at` (the first moment one of its
-- 30/90/120-day windows would count differently) unless something it is made of changes. Those
-- changes are caught by triggers, whichever part of Allmende writes them (ingest, edits, replies
-- and failed sends, merges, splits, erasure): they note the persons concerned in
-- person_stats_dirty, in the writer's own transaction, and the next list request recomputes them.

create table person_stats (
  person_id bigint primary key references persons on delete cascade,
  workspace_id uuid not null references workspaces on delete cascade,
  items_total int not null,
  items_90 int not null,
  items_30 int not null,
  items_prev_90 int not null,
  reach_90 int not null,
  first_item_at timestamptz,
  last_item_at timestamptz,
  last_team_at timestamptz,
  first_answered boolean not null,
  first_conversation_id bigint,
  last_conversation_id bigint,
  level text not null,
  computed_at timestamptz not null,
  next_change_at timestamptz
);
create index person_stats_last on person_stats (workspace_id, last_item_at desc nulls last, person_id desc);
create index person_stats_level on person_stats (workspace_id, level, last_item_at desc nulls last, person_id desc);
create index person_stats_due on person_stats (workspace_id, next_change_at) where next_change_at is not null;
-- Keep in touch reads the few who may qualify: unanswered first items, and those who wrote enough before.
create index person_stats_unanswered on person_stats (workspace_id, first_item_at) where not first_answered;
create index person_stats_dropping on person_stats (workspace_id, last_item_at desc nulls last, person_id desc) where items_prev_90 >= 6;

-- The list sorted by name (persons' own column).
create index persons_name on persons (workspace_id, lower(display_name), id desc) where merged_into is null and erased_at is null;

-- The moment the workspace's rows were last brought up to date (a clock set back recomputes all).
create table person_stats_state (
  workspace_id uuid primary key references workspaces on delete cascade,
  computed_at timestamptz not null
);

-- Persons whose row must be recomputed; duplicates are fine, the reader takes them all at once.
create table person_stats_dirty (
  workspace_id uuid not null,
  person_id bigint not null
);
create index person_stats_dirty_workspace on person_stats_dirty (workspace_id);

-- Items written or removed: their authors, and the authors of the items they reply to (reach).
create function person_stats_items_changed() returns trigger language plpgsql as $$
begin
  insert into person_stats_dirty (workspace_id, person_id)
  select d.workspace_id, d.person_id from changed n join identities d on d.id = n.identity_id
  union
  select d.workspace_id, d.person_id from changed n
    join items p on p.connection_id = n.connection_id and p.platform_id = n.parent_id
    join identities d on d.id = p.identity_id
  where n.parent_id is not null;
  return null;
end $$;
create trigger person_stats_items_inserted after insert on items
  referencing new table as changed for each statement execute function person_stats_items_changed();
create trigger person_stats_items_deleted after delete on items
  referencing old table as changed for each statement execute function person_stats_items_changed();

-- An item that changes author, direction, time, thread or parent: the persons before and after.
create function person_stats_item_moved() returns trigger language plpgsql as $$
begin
  insert into person_stats_dirty (workspace_id, person_id)
  select d.workspace_id, d.person_id from identities d where d.id in (old.identity_id, new.identity_id)
  union
  select d.workspace_id, d.person_id from items p join identities d on d.id = p.identity_id
  where (p.connection_id = old.connection_id and p.platform_id = old.parent_id)
     or (p.connection_id = new.connection_id and p.platform_id = new.parent_id);
  return null;
end $$;
create trigger person_stats_item_moved after update of identity_id, direction, created_at, conversation_id, parent_id on items
  for each row when (old.identity_id is distinct from new.identity_id or old.direction is distinct from new.direction
    or old.created_at is distinct from new.created_at or old.conversation_id is distinct from new.conversation_id
    or old.parent_id is distinct from new.parent_id)
  execute function person_stats_item_moved();

-- The team answered in a conversation (or an answer failed to send): everyone who wrote in it.
create function person_stats_answer_changed() returns trigger language plpgsql as $$
begin
  insert into person_stats_dirty (workspace_id, person_id)
  select distinct d.workspace_id, d.person_id from items i join identities d on d.id = i.identity_id
  where i.conversation_id = new.id and i.direction = 'inbound';
  return null;
end $$;
create trigger person_stats_answer_changed after update of last_outbound_at on conversations
  for each row when (old.last_outbound_at is distinct from new.last_outbound_at)
  execute function person_stats_answer_changed();

-- Identities moved between persons (merge, split): both persons, and the persons these
-- identities replied to (two repliers that become one person count once in their reach).
create function person_stats_identities_moved() returns trigger language plpgsql as $$
begin
  insert into person_stats_dirty (workspace_id, person_id)
  select o.workspace_id, o.person_id from old_ids o join new_ids n on n.id = o.id where n.person_id <> o.person_id
  union
  select n.workspace_id, n.person_id from old_ids o join new_ids n on n.id = o.id where n.person_id <> o.person_id
  union
  select d.workspace_id, d.person_id from old_ids o join new_ids n on n.id = o.id and n.person_id <> o.person_id
    join items c on c.identity_id = n.id and c.parent_id is not null
    join items p on p.connection_id = c.connection_id and p.platform_id = c.parent_id
    join identities d on d.id = p.identity_id;
  return null;
end $$;
create trigger person_stats_identities_moved after update on identities
  referencing old table as old_ids new table as new_ids for each statement execute function person_stats_identities_moved();

-- A person merged into another, split back, or erased leaves or joins the lists.
create function person_stats_persons_changed() returns trigger language plpgsql as $$
begin
  insert into person_stats_dirty (workspace_id, person_id)
  select n.workspace_id, n.id from old_persons o join new_persons n on n.id = o.id
  where n.merged_into is distinct from o.merged_into or n.erased_at is distinct from o.erased_at;
  return null;
end $$;
create trigger person_stats_persons_changed after update on persons
  referencing old table as old_persons new table as new_persons for each statement execute function person_stats_persons_changed();
