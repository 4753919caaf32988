// Platform names as their owners write them (the same in German and English; "E-Mail" aside).
export const PLATFORM_NAMES: Record<string, string> = {
  bluesky: 'Bluesky', mastodon: 'Mastodon', email: 'E-Mail', facebook: 'Facebook', instagram: 'Instagram', threads: 'Threads',
  youtube: 'YouTube', tiktok: 'TikTok', x: 'X', linkedin: 'LinkedIn', reddit: 'Reddit', discord: 'Discord', telegram: 'Telegram',
  whatsapp: 'WhatsApp', website: 'Website', forum: 'Forum', feed: 'Feed', other: 'Other',
};
