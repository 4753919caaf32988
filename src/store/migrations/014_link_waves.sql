-- Two more misinformation signals: the same link from many new accounts ("link wave") and a
-- burst of first-time authors on one thread. Their thresholds are workspace settings.

alter table misinfo_settings
  -- A link wave: at least this many accounts, most of them new, post the same link within the window.
  add column link_wave_min_accounts int not null default 5 check (link_wave_min_accounts between 2 and 1000),
  add column link_wave_window_hours int not null default 24 check (link_wave_window_hours between 1 and 720),
  -- New: the platform says the account was made, or this workspace first saw it, within this many days.
  add column new_account_days int not null default 7 check (new_account_days between 1 and 365),
  -- A burst: at least this many authors who never wrote here before write in one thread within the window.
  add column newcomer_min_authors int not null default 5 check (newcomer_min_authors between 2 and 1000),
  add column newcomer_window_minutes int not null default 60 check (newcomer_window_minutes between 5 and 1440);

-- Who posted which link when (links normalised: no tracking parameters, no fragment, no "www.").
-- One row per item and link; whether the account was new is decided when the item arrives.
create table misinfo_link_posts (
  workspace_id uuid not null references workspaces on delete cascade,
  link text not null,
  created_at timestamptz not null,
  item_id bigint not null references items on delete cascade,
  account text not null,
  handle text,
  new_account boolean not null,
  primary key (workspace_id, link, created_at, item_id)
);
-- For removing rows older than the longest window.
create index misinfo_link_posts_time on misinfo_link_posts (created_at);

-- A date from a platform payload, or null when it is not one (raw payloads are not trusted).
create function allmende_try_timestamptz(v text) returns timestamptz language plpgsql stable as $$
begin
  return v::timestamptz;
exception when others then
  return null;
end $$;
