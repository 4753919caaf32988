// Reading items back for people: always within one workspace.
import { z } from 'zod';
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';

export const itemOutput = z.object({
  id: z.number(),
  platform: z.string(),
  connectionId: z.string(),
  platformId: z.string(),
  kind: z.string(),
  threadId: z.string().nullable(),
  parentId: z.string().nullable(),
  author: z.object({ platformUserId: z.string().nullable(), handle: z.string().nullable(), displayName: z.string().nullable(), profileUrl: z.string().nullable() }),
  text: z.string(),
  language: z.string().nullable(),
  links: z.array(z.string()),
  media: z.array(z.any()),
  createdAt: z.string(),
  receivedAt: z.string(),
  editedAt: z.string().nullable(),
  permalink: z.string().nullable(),
  stage: z.string(),
});
export type ItemOutput = z.infer<typeof itemOutput>;

const COLUMNS = `id, platform, connection_id, platform_id, kind, thread_id, parent_id, author_platform_id, author_handle,
  author_name, author_url, text, language, links, media, created_at, received_at, edited_at, permalink, stage`;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

function toOutput(r: any): ItemOutput {
  return {
    id: r.id, platform: r.platform, connectionId: r.connection_id, platformId: r.platform_id, kind: r.kind,
    threadId: r.thread_id, parentId: r.parent_id,
    author: { platformUserId: r.author_platform_id, handle: r.author_handle, displayName: r.author_name, profileUrl: r.author_url },
    text: r.text, language: r.language, links: r.links ?? [], media: r.media ?? [],
    createdAt: iso(r.created_at)!, receivedAt: iso(r.received_at)!, editedAt: iso(r.edited_at), permalink: r.permalink, stage: r.stage,
  };
}

// The cursor is the last row's (created_at, id): stable under new arrivals, no OFFSET scans.
const encodeCursor = (r: ItemOutput) => Buffer.from(`${r.createdAt}|${r.id}`).toString('base64url');
function decodeCursor(c: string): [string, number] {
  const [at, id] = Buffer.from(c, 'base64url').toString().split('|');
  if (!at || !id || Number.isNaN(Date.parse(at)) || !/^\d+$/.test(id)) throw new HttpError(400, 'invalid_input', 'before: not a cursor from an earlier answer');
  return [at, Number(id)];
}

export async function listItems(db: Db, workspaceId: string, q: { limit: number; before?: string }) {
  const params: unknown[] = [workspaceId, q.limit + 1];
  let where = 'workspace_id = $1';
  if (q.before) {
    const [at, id] = decodeCursor(q.before);
    params.push(at, id);
    where += ' and (created_at, id) < ($3::timestamptz, $4::bigint)';
  }
  const rows = (await db.query(`select ${COLUMNS} from items where ${where} order by created_at desc, id desc limit $2`, params)).map(toOutput);
  const more = rows.length > q.limit;
  const items = rows.slice(0, q.limit);
  return { items, nextCursor: more ? encodeCursor(items[items.length - 1]) : null };
}

export async function getItem(db: Db, workspaceId: string, id: number) {
  const [row] = await db.query(`select ${COLUMNS} from items where workspace_id = $1 and id = $2`, [workspaceId, id]);
  if (!row) return null;
  const signals = await db.query(
    `select kind, label, score, evidence, source, created_at as "createdAt" from signals where item_id = $1 order by id`, [id]);
  const events = await db.query(
    `select type, actor, data, created_at as "createdAt" from events where item_id = $1 order by id`, [id]);
  return { ...toOutput(row), signals, events };
}
