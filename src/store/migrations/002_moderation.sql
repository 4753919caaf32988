-- Moderation: rules and word lists per workspace, the moderation state derived from the event
-- log, learned models, the outbox's running state, and the wellbeing exposure count.

-- The current moderation state of an item. Derived: only written together with the event that
-- causes it (see moderation/state.ts), so the append-only events stay the truth.
alter table items add column moderation text not null default 'visible'
  check (moderation in ('visible', 'held', 'hidden', 'deleted'));
alter table items add column moderated_at timestamptz;
create index items_held on items (workspace_id, received_at) where moderation = 'held';
create index items_author on items (workspace_id, author_platform_id, id);
-- Rules ask how often an author's items were removed: counted from this small index alone.
create index items_author_removed on items (workspace_id, author_platform_id) where moderation in ('hidden', 'deleted');
create index events_type on events (workspace_id, type, created_at desc);

-- An action being carried out right now; `locked_until` frees it if its worker died.
alter table actions drop constraint actions_state_check;
alter table actions add constraint actions_state_check check (state in ('pending', 'running', 'done', 'failed', 'unsupported', 'cancelled'));
alter table actions add column locked_until timestamptz;
alter table actions add column last_error text;

create table rulesets (
  workspace_id uuid primary key references workspaces on delete cascade,
  source text not null,
  version int not null default 1,
  updated_by uuid references users on delete set null,
  updated_at timestamptz not null default now()
);

create table word_lists (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null,
  source text not null,
  updated_by uuid references users on delete set null,
  updated_at timestamptz not null default now(),
  unique (workspace_id, name)
);

-- Models learned from the team's decisions; at most one active per workspace and language.
create table classifier_models (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  language text not null,
  model bytea not null,
  metrics jsonb not null,
  active boolean not null default false,
  created_at timestamptz not null default now()
);
create unique index classifier_models_active on classifier_models (workspace_id, language) where active;

-- Which harmful items a person was shown, per day (each counted once however often shown):
-- a workload figure for the person and their managers, not a performance one.
create table harm_views (
  workspace_id uuid not null references workspaces on delete cascade,
  user_id uuid not null references users on delete cascade,
  item_id bigint not null references items on delete cascade,
  day date not null default current_date,
  primary key (user_id, day, item_id)
);
create index harm_views_workspace on harm_views (workspace_id, day);

alter table users add column reveal_toxic boolean not null default false;

-- Other classifiers a team plugs in over HTTP (its own transformer model, an LLM service).
create table external_classifiers (
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null check (name ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  url text not null,
  secret_encrypted text not null,
  timeout_ms int not null default 2000 check (timeout_ms between 100 and 10000),
  enabled boolean not null default true,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, name)
);
