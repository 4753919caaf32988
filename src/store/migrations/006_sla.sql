-- SLAs and the response rate: business hours per workspace, SLA policies, the due times per
-- conversation (derived from the conversation's times, recomputed when its version changes),
-- breach alerts recorded once, and the team's corrections of "needs an answer".

create table sla_calendars (
  workspace_id uuid primary key references workspaces on delete cascade,
  -- { timeZone, hours: { mon: [{ start, end }] … }, holidays: [{ date, name }] } (src/sla/calendar.ts)
  calendar jsonb not null,
  updated_by uuid references users on delete set null,
  updated_at timestamptz not null default now()
);

create table sla_policies (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null check (length(name) between 1 and 100),
  -- Policies are tried in this order; the first whose conditions all hold applies.
  position int not null,
  -- Conditions; an empty list matches everything.
  platforms text[] not null default '{}',
  labels text[] not null default '{}',
  priorities smallint[] not null default '{}',
  first_response_minutes int check (first_response_minutes > 0),
  next_response_minutes int check (next_response_minutes > 0),
  resolution_minutes int check (resolution_minutes > 0),
  business_hours boolean not null default true,
  updated_at timestamptz not null default now(),
  unique (workspace_id, name)
);
create index sla_policies_workspace on sla_policies (workspace_id, position);

-- The SLA clock of each conversation: the next due time and what it is for.
alter table conversations add column sla_policy_id uuid references sla_policies on delete set null;
alter table conversations add column sla_due_at timestamptz;
alter table conversations add column sla_due_kind text check (sla_due_kind in ('first_response', 'next_response', 'resolution'));
-- The earliest due time no alert was recorded for yet (the sweep's work list).
alter table conversations add column sla_alert_at timestamptz;
-- The conversation's updated_at the due times were computed for; null = compute again (also set
-- for a whole workspace when its policies or business hours change). Part A touches updated_at on
-- every change: a new item, a reply, a status or label change.
alter table conversations add column sla_computed_for timestamptz;
create index conversations_sla_due on conversations (workspace_id, sla_due_at, id) where sla_due_at is not null;
create index conversations_sla_alert on conversations (sla_alert_at) where sla_alert_at is not null;
create index conversations_sla_stale on conversations (id) where sla_computed_for is distinct from updated_at;

-- A breach: recorded once per conversation, kind and due time, when the clock passes it.
create table sla_alerts (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  conversation_id bigint not null references conversations on delete cascade,
  policy_id uuid references sla_policies on delete set null,
  kind text not null check (kind in ('first_response', 'next_response', 'resolution')),
  due_at timestamptz not null,
  breached_at timestamptz not null,
  unique (conversation_id, kind, due_at)
);
create index sla_alerts_workspace on sla_alerts (workspace_id, breached_at desc, id desc);

-- Who has seen which alert (the notification list shows unseen ones first).
create table sla_alerts_seen (
  alert_id bigint not null references sla_alerts on delete cascade,
  user_id uuid not null references users on delete cascade,
  seen_at timestamptz not null default now(),
  primary key (alert_id, user_id)
);

-- The team's word on whether an inbound item needs an answer; overrides the detector's signal.
create table needs_answer_corrections (
  item_id bigint primary key references items on delete cascade,
  workspace_id uuid not null references workspaces on delete cascade,
  needs_answer boolean not null,
  corrected_by uuid references users on delete set null,
  corrected_at timestamptz not null default now()
);
create index needs_answer_corrections_workspace on needs_answer_corrections (workspace_id, corrected_at);

-- The response rate reads each item's latest "needs an answer" signal.
create index signals_item_kind on signals (item_id, kind, id desc);
