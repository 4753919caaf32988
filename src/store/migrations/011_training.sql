-- Training: trainees work under review. Per-workspace policies (what a trainee may do alone, with
-- approval, or never), drafts a mentor approves, edits or returns with feedback, guidelines as
-- Markdown documents, practice sets from real past cases (anonymised), calibration rounds, and
-- per-trainee autonomy grants and wellbeing settings. Every change a person makes is also an event.

create table training_settings (
  workspace_id uuid primary key references workspaces on delete cascade,
  -- action -> 'alone' | 'approval' | 'never' (src/training/policy.ts has the defaults).
  policies jsonb not null default '{}',
  skills text[] not null default '{tone,accuracy,policy,speed,empathy}',
  -- Graduated autonomy: agreement over the last `autonomy_window` reviewed drafts at or above this.
  autonomy_threshold real not null default 0.9 check (autonomy_threshold > 0 and autonomy_threshold <= 1),
  autonomy_window int not null default 20 check (autonomy_window between 5 and 500),
  -- Harmful items a trainee may be shown per day before the queue asks them to take a break.
  daily_exposure_cap int not null default 20 check (daily_exposure_cap between 0 and 1000),
  updated_by uuid references users on delete set null,
  updated_at timestamptz not null default now()
);

-- Per trainee: autonomy a manager confirmed (action -> granted), and the hate/threat queue, which
-- needs both a manager's permission and the trainee's own choice.
create table trainees (
  workspace_id uuid not null references workspaces on delete cascade,
  user_id uuid not null references users on delete cascade,
  autonomy text[] not null default '{}',
  harmful_allowed boolean not null default false,
  harmful_opted_in boolean not null default false,
  primary key (workspace_id, user_id)
);

create table training_drafts (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  author_user_id uuid not null references users on delete cascade,
  -- 'reply' (conversation_id, text) or a moderation decision (item_id, decision, category).
  kind text not null check (kind in ('reply', 'decision')),
  action text not null,
  conversation_id bigint references conversations on delete cascade,
  item_id bigint references items on delete cascade,
  text text,
  decision text,
  category text,
  reason text,
  -- The member's item a reply answers (else the conversation's latest, as in the inbox).
  reply_to bigint references items on delete set null,
  state text not null default 'pending' check (state in ('pending', 'approved', 'returned')),
  reviewer_user_id uuid references users on delete set null,
  final_text text,
  final_decision text,
  final_category text,
  -- Words changed by the mentor (0 = approved as written).
  edit_size int,
  feedback_comment text,
  feedback_tags text[] not null default '{}',
  feedback_section text,
  reviewed_at timestamptz,
  -- The reply item or the platform action the approval produced.
  result jsonb,
  created_at timestamptz not null default now()
);
create index training_drafts_pending on training_drafts (workspace_id, created_at, id) where state = 'pending';
create index training_drafts_author on training_drafts (workspace_id, author_user_id, id desc);

create table guidelines (
  workspace_id uuid not null references workspaces on delete cascade,
  slug text not null check (slug in ('community', 'style')),
  title text not null check (length(title) between 1 and 200),
  body text not null check (length(body) <= 200000),
  updated_by uuid references users on delete set null,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, slug)
);

create table practice_sets (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null check (length(name) between 1 and 200),
  created_by uuid references users on delete set null,
  created_at timestamptz not null default now()
);

-- A case keeps its source item only for the team; trainees are given the anonymised text.
create table practice_cases (
  id bigint generated always as identity primary key,
  set_id bigint not null references practice_sets on delete cascade,
  workspace_id uuid not null references workspaces on delete cascade,
  source_item_id bigint references items on delete set null,
  position int not null,
  platform text not null,
  text text not null,
  category text not null,
  reference_decision text not null,
  reference_reply text,
  reference_reason text,
  guideline_section text
);
create index practice_cases_set on practice_cases (set_id, position);

create table practice_answers (
  id bigint generated always as identity primary key,
  case_id bigint not null references practice_cases on delete cascade,
  workspace_id uuid not null references workspaces on delete cascade,
  user_id uuid references users on delete cascade,
  decision text not null,
  reply text,
  correct boolean not null,
  -- Mentor's rubric for a written reply: criterion -> 1..4.
  grade jsonb,
  graded_by uuid references users on delete set null,
  created_at timestamptz not null default now()
);
create index practice_answers_user on practice_answers (workspace_id, user_id, created_at);

create table calibration_rounds (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  name text not null check (length(name) between 1 and 200),
  labels text[] not null,
  raters uuid[] not null,
  created_by uuid references users on delete set null,
  created_at timestamptz not null default now()
);

create table calibration_items (
  round_id bigint not null references calibration_rounds on delete cascade,
  position int not null,
  item_id bigint references items on delete set null,
  text text not null,
  primary key (round_id, position)
);

create table calibration_answers (
  round_id bigint not null references calibration_rounds on delete cascade,
  position int not null,
  user_id uuid not null references users on delete cascade,
  label text not null,
  created_at timestamptz not null default now(),
  primary key (round_id, position, user_id)
);
