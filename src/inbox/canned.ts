// Canned responses: prepared answers per language with {{variables}} filled from the
// conversation ({{name}}, {{handle}}, {{platform}}, {{connection}}) and the person replying
// ({{agent}}). Unknown variables are left in place and named, so nothing is sent half-filled unseen.
import type { Db } from '../store/db.js';

export const VARIABLES = ['name', 'handle', 'platform', 'connection', 'agent', 'date'] as const;

const PLATFORM_NAMES: Record<string, string> = {
  bluesky: 'Bluesky', mastodon: 'Mastodon', email: 'E-Mail', facebook: 'Facebook', instagram: 'Instagram', threads: 'Threads',
  youtube: 'YouTube', tiktok: 'TikTok', x: 'X', linkedin: 'LinkedIn', reddit: 'Reddit', discord: 'Discord', telegram: 'Telegram',
  whatsapp: 'WhatsApp', website: 'Website', forum: 'Forum', other: 'other',
};

export function fillTemplate(body: string, values: Record<string, string>): { text: string; unknown: string[] } {
  const unknown = new Set<string>();
  const text = body.replace(/\{\{\s*([a-zA-Z_]+)\s*\}\}/g, (whole, name: string) => {
    const v = values[name.toLowerCase()];
    if (v === undefined) { unknown.add(name); return whole; }
    return v;
  });
  return { text, unknown: [...unknown] };
}

export interface CannedRow { id: string; name: string; language: string; body: string; updated_at: string }
const out = (r: CannedRow) => ({ id: r.id, name: r.name, language: r.language, body: r.body, updatedAt: new Date(r.updated_at).toISOString() });

/** Search by words in name or text; the conversation's language first, then 'any', then others. */
export async function searchCanned(db: Db, workspaceId: string, q: string | undefined, language: string | undefined, limit: number) {
  const words = (q ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 8);
  const params: unknown[] = [workspaceId, language ?? null, limit];
  const conds = words.map((w) => { params.push(`%${w.replace(/[\\%_]/g, (c) => '\\' + c)}%`); return `(name ilike $${params.length} or body ilike $${params.length})`; });
  const rows = await db.query<CannedRow>(
    `select id, name, language, body, updated_at from canned_responses where workspace_id = $1 ${conds.map((c) => `and ${c}`).join(' ')}
     order by (language = $2) desc, (language = 'any') desc, name limit $3`, params);
  return rows.map(out);
}

export async function renderCanned(db: Db, workspaceId: string, cannedId: string, conversationId: number, agentName: string) {
  const [c] = await db.query<CannedRow>(`select id, name, language, body, updated_at from canned_responses where workspace_id = $1 and id = $2`, [workspaceId, cannedId]);
  if (!c) return null;
  const [conv] = await db.query<{ platform: string; connection_name: string; author_name: string | null; author_handle: string | null }>(
    `select c.platform, cn.name as connection_name, m.author_name, m.author_handle
     from conversations c join connections cn on cn.id = c.connection_id
     left join lateral (select author_name, author_handle from items where conversation_id = c.id and direction = 'inbound'
                        order by created_at desc, id desc limit 1) m on true
     where c.workspace_id = $1 and c.id = $2`, [workspaceId, conversationId]);
  if (!conv) return null;
  const handle = conv.author_handle ?? '';
  const filled = fillTemplate(c.body, {
    name: conv.author_name ?? handle, handle, platform: PLATFORM_NAMES[conv.platform] ?? conv.platform,
    connection: conv.connection_name, agent: agentName, date: new Date().toISOString().slice(0, 10),
  });
  return { canned: out(c), ...filled };
}

export async function saveCanned(db: Db, workspaceId: string, userId: string | null, input: { id?: string; name: string; language: string; body: string }) {
  const [row] = input.id
    ? await db.query<CannedRow>(`update canned_responses set name = $3, language = $4, body = $5, updated_at = now() where workspace_id = $1 and id = $2 returning *`,
      [workspaceId, input.id, input.name, input.language, input.body])
    : await db.query<CannedRow>(`insert into canned_responses (workspace_id, name, language, body, created_by) values ($1, $2, $3, $4, $5) returning *`,
      [workspaceId, input.name, input.language, input.body, userId]);
  return row ? out(row) : null;
}
