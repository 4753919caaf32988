-- The unified inbox: items grouped into conversations (one per platform thread), their status,
-- assignment, labels and the times the SLA clocks and metrics are computed from; teams, saved
-- views, canned responses, internal notes with mentions, and labels.
-- Every status, assignment and label change is an event in `events` (conversation_id set); the
-- columns on `conversations` are derived and only written together with their event.

create table teams (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null check (length(name) between 1 and 100),
  -- How new conversations are handed to the team's members: not at all, in turn, or to whoever
  -- has the fewest open conversations.
  auto_assign text not null default 'off' check (auto_assign in ('off', 'round_robin', 'load_balanced')),
  -- Platforms whose new conversations go to this team; empty: every platform.
  platforms text[] not null default '{}',
  created_at timestamptz not null default now(),
  unique (workspace_id, name)
);

create table team_members (
  team_id uuid not null references teams on delete cascade,
  user_id uuid not null references users on delete cascade,
  workspace_id uuid not null references workspaces on delete cascade,
  -- Away people keep their team but get no automatic assignments.
  available boolean not null default true,
  last_assigned_at timestamptz,
  primary key (team_id, user_id)
);
create index team_members_user on team_members (user_id);

create table conversations (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  connection_id uuid not null references connections on delete cascade,
  platform text not null,
  -- The item's thread id or, for a root item, its own platform id.
  thread_key text not null,
  -- The post the conversation hangs under, once it is stored.
  root_item_id bigint references items on delete set null,
  status text not null default 'new' check (status in ('new', 'open', 'waiting', 'done')),
  status_at timestamptz not null default now(),
  snoozed_until timestamptz,
  assignee_user_id uuid references users on delete set null,
  team_id uuid references teams on delete set null,
  priority smallint not null default 0 check (priority between 0 and 3),
  labels text[] not null default '{}',
  -- Language of the first analysed inbound item (filter).
  language text,
  item_count int not null default 0,
  inbound_count int not null default 0,
  first_inbound_at timestamptz,
  last_inbound_at timestamptz,
  first_outbound_at timestamptz,
  last_outbound_at timestamptz,
  -- The oldest inbound item after the team's last outbound one: when the member started waiting.
  awaiting_since timestamptz,
  last_item_at timestamptz not null,
  last_item_id bigint,
  done_at timestamptz,
  -- Bumped on every change; clients may send it back to refuse acting on a stale view.
  version int not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (connection_id, thread_key)
);
create index conversations_latest on conversations (workspace_id, last_item_at desc, id desc);
create index conversations_status on conversations (workspace_id, status, last_item_at desc, id desc);
create index conversations_assignee on conversations (workspace_id, assignee_user_id, status, last_item_at desc, id desc);
create index conversations_team on conversations (workspace_id, team_id, status, last_item_at desc, id desc) where team_id is not null;
create index conversations_platform on conversations (workspace_id, platform, status, last_item_at desc, id desc);
create index conversations_connection on conversations (connection_id, status, last_item_at desc, id desc);
create index conversations_language on conversations (workspace_id, language, status, last_item_at desc, id desc);
create index conversations_awaiting on conversations (workspace_id, awaiting_since, id) where awaiting_since is not null and status <> 'done';
create index conversations_labels on conversations using gin (labels);
create index conversations_snoozed on conversations (snoozed_until) where snoozed_until is not null;

alter table items add column conversation_id bigint references conversations on delete set null;
-- 'inbound' from members, 'outbound' from the team (sent from Allmende, or written by one of the
-- connection's own accounts: connections.settings.ownAccounts, ids or handles).
alter table items add column direction text not null default 'inbound' check (direction in ('inbound', 'outbound'));
-- Replies sent from Allmende: who wrote it, and how sending it went.
alter table items add column sent_by uuid references users on delete set null;
alter table items add column send_state text check (send_state in ('sending', 'sent', 'failed'));
alter table items add column send_error text;
alter table items add column send_action_id bigint references actions on delete set null;
create index items_conversation on items (conversation_id, created_at, id);
create index items_conversation_flagged on items (workspace_id, conversation_id) where moderation <> 'visible';
create index items_author_handle on items (workspace_id, author_handle, id);
create index items_send_action on items (send_action_id) where send_action_id is not null;

alter table events add column conversation_id bigint references conversations on delete cascade;
create index events_conversation on events (conversation_id, id) where conversation_id is not null;

create table labels (
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null check (length(name) between 1 and 60),
  color text not null default '#888888' check (color ~ '^#[0-9a-fA-F]{6}$'),
  created_at timestamptz not null default now(),
  primary key (workspace_id, name)
);

-- Filters kept under a name; user_id null: shared with the workspace.
create table saved_views (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  user_id uuid references users on delete cascade,
  name text not null check (length(name) between 1 and 100),
  filters jsonb not null default '{}',
  created_at timestamptz not null default now()
);
create unique index saved_views_name on saved_views (workspace_id, coalesce(user_id, '00000000-0000-0000-0000-000000000000'::uuid), name);

-- Prepared answers with {{variables}}, per language ('any' for every language).
create table canned_responses (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null check (length(name) between 1 and 120),
  language text not null default 'any' check (language ~ '^([a-z]{2}|any)$'),
  body text not null check (length(body) between 1 and 20000),
  created_by uuid references users on delete set null,
  updated_at timestamptz not null default now(),
  unique (workspace_id, language, name)
);

-- Internal notes: never sent to a platform.
create table notes (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  conversation_id bigint not null references conversations on delete cascade,
  author_user_id uuid references users on delete set null,
  text text not null check (length(text) between 1 and 10000),
  created_at timestamptz not null default now()
);
create index notes_conversation on notes (conversation_id, id);

create table note_mentions (
  note_id bigint not null references notes on delete cascade,
  user_id uuid not null references users on delete cascade,
  workspace_id uuid not null references workspaces on delete cascade,
  seen_at timestamptz,
  primary key (note_id, user_id)
);
create index note_mentions_user on note_mentions (user_id, workspace_id, note_id desc);
