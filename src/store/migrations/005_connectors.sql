-- Platform connectors: credentials apart from the webhook secret, a status a person can act on,
-- the read cursor (written in the same transaction as the items it produced) and one poll lease
-- per connection, so several worker processes never poll the same connection at once.

alter table connections
  -- AES-256-GCM sealed JSON (app password, token …); never returned by the API.
  add column credentials_encrypted text,
  add column status text not null default 'active'
    check (status in ('active', 'paused', 'needs_reauth')),
  add column cursor jsonb,
  add column lease_owner text,
  add column lease_until timestamptz,
  add column next_poll_at timestamptz not null default now(),
  add column poll_failures int not null default 0,
  add column last_polled_at timestamptz,
  add column last_item_at timestamptz,
  add column last_error text,
  add column last_error_at timestamptz;

create index connections_due on connections (next_poll_at) where status = 'active' and credentials_encrypted is not null;
