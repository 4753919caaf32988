// The platforms Allmende knows. A connector for each comes with the connector issues; until then
// items from any of them can be sent in through the API, a webhook or an import.
export const PLATFORMS = [
  'bluesky', 'mastodon', 'email', 'facebook', 'instagram', 'threads', 'youtube', 'tiktok', 'x',
  'linkedin', 'reddit', 'discord', 'telegram', 'whatsapp', 'website', 'forum', 'feed', 'fediverse', 'other',
] as const;
export type Platform = (typeof PLATFORMS)[number];

export const ITEM_KINDS = ['post', 'comment', 'reply', 'direct_message', 'mention', 'email'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
