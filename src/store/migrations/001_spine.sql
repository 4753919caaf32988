-- The spine: workspaces, accounts, connections, items, signals, the event log and the outbox.

create table workspaces (
  id uuid primary key default gen_random_uuid(),
  slug text not null unique check (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  name text not null,
  created_at timestamptz not null default now()
);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (email = lower(email)),
  name text not null,
  password_hash text not null,
  is_owner boolean not null default false,
  locale text check (locale in ('de', 'en')),
  created_at timestamptz not null default now(),
  disabled_at timestamptz
);
-- Exactly one installation owner.
create unique index users_one_owner on users (is_owner) where is_owner;

create table memberships (
  workspace_id uuid not null references workspaces on delete cascade,
  user_id uuid not null references users on delete cascade,
  role text not null check (role in ('owner', 'admin', 'manager', 'moderator', 'trainee', 'analyst')),
  created_at timestamptz not null default now(),
  primary key (workspace_id, user_id)
);

create table sessions (
  token_hash text primary key,
  user_id uuid not null references users on delete cascade,
  csrf_token text not null,
  created_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user on sessions (user_id);

create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null,
  role text not null check (role in ('admin', 'manager', 'moderator', 'trainee', 'analyst')),
  token_hash text not null unique,
  created_by uuid references users on delete set null,
  created_at timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at timestamptz
);

create table login_failures (
  key text not null,
  failed_at timestamptz not null default now()
);
create index login_failures_key on login_failures (key, failed_at);

create table connections (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  platform text not null,
  name text not null,
  settings jsonb not null default '{}',
  -- AES-256-GCM, key from ALLMENDE_SECRET_KEY or the data folder's key file.
  secret_encrypted text,
  created_at timestamptz not null default now(),
  unique (workspace_id, platform, name)
);

create table items (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  connection_id uuid not null references connections on delete cascade,
  platform text not null,
  platform_id text not null,
  kind text not null check (kind in ('post', 'comment', 'reply', 'direct_message', 'mention', 'email')),
  thread_id text,
  parent_id text,
  author_platform_id text,
  author_handle text,
  author_name text,
  author_url text,
  text text not null,
  -- Filled by the analyse stage.
  text_normalised text,
  text_folded text,
  language text,
  language_hint text,
  links text[] not null default '{}',
  media jsonb not null default '[]',
  created_at timestamptz not null,
  received_at timestamptz not null default now(),
  edited_at timestamptz,
  permalink text,
  raw jsonb,
  -- Where the item is in the pipeline: ingested -> analysed -> done (decided; platform actions
  -- then wait in the outbox).
  stage text not null default 'ingested' check (stage in ('ingested', 'analysed', 'done')),
  stage_at timestamptz not null default now(),
  search tsvector,
  unique (connection_id, platform_id)
);
create index items_latest on items (workspace_id, created_at desc, id desc);
create index items_unfinished on items (stage, stage_at) where stage <> 'done';
create index items_search on items using gin (search);

-- What analysis found about an item, always with its evidence and the tool's version.
create table signals (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  item_id bigint not null references items on delete cascade,
  kind text not null,
  label text,
  score real,
  evidence jsonb not null default '{}',
  source text not null,
  created_at timestamptz not null default now()
);
create index signals_item on signals (item_id);

-- Append-only history: who did what, when, why, with which tool. Never updated in place.
create table events (
  id bigint generated always as identity primary key,
  workspace_id uuid references workspaces on delete cascade,
  item_id bigint references items on delete cascade,
  actor_user_id uuid references users on delete set null,
  actor text not null,
  type text not null,
  data jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create index events_item on events (item_id);
create index events_workspace on events (workspace_id, created_at desc);

-- Actions on platforms (reply, hide, delete, ban …) wait here until a connector carries them out.
create table actions (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  item_id bigint references items on delete cascade,
  connection_id uuid not null references connections on delete cascade,
  type text not null,
  payload jsonb not null default '{}',
  state text not null default 'pending' check (state in ('pending', 'done', 'failed', 'unsupported')),
  attempts int not null default 0,
  next_attempt_at timestamptz not null default now(),
  result jsonb,
  created_by uuid references users on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index actions_pending on actions (next_attempt_at) where state = 'pending';

-- Import progress per file, so a re-run resumes after the last stored batch.
create table imports (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  file_hash text not null,
  file_name text not null,
  rows_done int not null default 0,
  counts jsonb not null default '{}',
  started_at timestamptz not null default now(),
  finished_at timestamptz,
  unique (workspace_id, file_hash)
);

-- Webhook delivery ids seen inside the replay window: a replayed delivery is refused.
create table webhook_deliveries (
  connection_id uuid not null references connections on delete cascade,
  delivery_id text not null,
  received_at timestamptz not null default now(),
  primary key (connection_id, delivery_id)
);
