-- Misinformation: known claims with their counter-replies, domain lists with categories, the
-- workspace's settings (shortener resolution off until enabled), and suspected campaigns of
-- near-duplicate texts. Matches are signals (kind 'claim', 'domain', 'campaign') on the items.

create table claims (
  id uuid primary key default gen_random_uuid(),
  workspace_id uuid not null references workspaces on delete cascade,
  text_de text,
  text_en text,
  verdict text not null check (verdict in ('false', 'misleading', 'missing_context', 'satire', 'true')),
  fact_check_url text,
  reply_de text,
  reply_en text,
  -- Where the claim came from: 'manual', 'item:<id>', 'claimreview:<file or publisher>', 'csv'.
  origin text not null default 'manual',
  created_by uuid references users on delete set null,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check (coalesce(text_de, text_en) is not null)
);
create index claims_workspace on claims (workspace_id, created_at desc);
-- The same fact check imported twice is one claim.
create unique index claims_fact_check on claims (workspace_id, fact_check_url, coalesce(text_de, ''), coalesce(text_en, '')) where fact_check_url is not null;

create table misinfo_domains (
  workspace_id uuid not null references workspaces on delete cascade,
  domain text not null check (domain ~ '^[a-z0-9.-]{1,253}$'),
  category text not null check (category in ('unreliable', 'satire', 'state_affiliated', 'spam', 'trusted')),
  note text not null default '',
  updated_by uuid references users on delete set null,
  updated_at timestamptz not null default now(),
  primary key (workspace_id, domain)
);

create table misinfo_settings (
  workspace_id uuid primary key references workspaces on delete cascade,
  -- Following a shortener's redirect is a request to an outside server: off until a team enables it.
  resolve_shorteners boolean not null default false,
  -- A campaign: near-copies from at least this many accounts within this many hours.
  campaign_min_accounts int not null default 5 check (campaign_min_accounts between 2 and 1000),
  campaign_window_hours int not null default 48 check (campaign_window_hours between 1 and 720),
  updated_at timestamptz not null default now()
);

-- Suspected campaigns: a cluster of near-duplicate texts. Items join the cluster as they arrive.
create table campaigns (
  id bigint generated always as identity primary key,
  workspace_id uuid not null references workspaces on delete cascade,
  -- 'copies' (near-duplicate texts), 'link' (one link from many new accounts), 'newcomers' (a burst of first-time authors on one thread)
  kind text not null default 'copies' check (kind in ('copies', 'link', 'newcomers')),
  sample text not null,
  first_seen timestamptz not null,
  last_seen timestamptz not null,
  -- Kept as items join (counting them again on every join grows with the campaign).
  items int not null default 0,
  accounts int not null default 0,
  created_at timestamptz not null default now()
);
create index campaigns_workspace on campaigns (workspace_id, last_seen desc);

create table campaign_items (
  campaign_id bigint not null references campaigns on delete cascade,
  item_id bigint not null references items on delete cascade,
  similarity real not null,
  primary key (campaign_id, item_id)
);
create index campaign_items_item on campaign_items (item_id);

-- MinHash bands of recent items, for finding near-copies (locality-sensitive hashing): two texts
-- that share a band are candidates, checked on their full signatures.
create table misinfo_bands (
  workspace_id uuid not null references workspaces on delete cascade,
  band int not null,
  item_id bigint not null references items on delete cascade,
  created_at timestamptz not null,
  primary key (workspace_id, band, item_id)
);
create index misinfo_bands_time on misinfo_bands (created_at);
create table misinfo_signatures (
  item_id bigint primary key references items on delete cascade,
  workspace_id uuid not null references workspaces on delete cascade,
  signature int[] not null
);
