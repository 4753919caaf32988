-- The commons: who talks with whom. The figures are computed from items and identities on demand;
-- these indexes let the interaction graph find an item's replies and quoted items without a scan.

-- Replies: an item's answers carry its platform id in parent_id (same connection).
create index items_parent on items (connection_id, parent_id) where parent_id is not null;
-- Quotes: an item that links to another item's permalink quotes it.
create index items_permalink on items (workspace_id, permalink) where permalink is not null;
