// Moderation state changes. The event log is the truth: every change appends an event (actor,
// before, after, reason, tool) and, in the same transaction, updates the derived items.moderation
// and queues what the platform must do. Undo is a new event, never an edit of an old one.
import type { Db } from '../store/db.js';

export const MODERATION_STATES = ['visible', 'held', 'hidden', 'deleted'] as const;
export type ModerationState = (typeof MODERATION_STATES)[number];

export interface Actor {
  kind: 'person' | 'rule' | 'model';
  userId?: string | null;
  /** Rule name, model id, or the person's name: what the audit page shows. */
  name: string;
}

/** What the platform must do to move an item from one state to another (null: nothing). */
export function platformAction(from: ModerationState, to: ModerationState): string | null {
  if (to === 'hidden' && from !== 'hidden') return from === 'deleted' ? null : 'hide';
  if (to === 'deleted' && from !== 'deleted') return 'delete';
  if (to === 'visible' && from === 'hidden') return 'unhide';
  if (to === 'visible' && from === 'deleted') return 'restore';
  return null;
}

/** A person's decision on an item and the state it leads to. */
export const DECISION_TO = { approve: 'visible', restore: 'visible', hide: 'hidden', delete: 'deleted', hold: 'held' } as const;

/** What a person says a removal was about; the model learns threat and spam from these. */
export const DECISION_CATEGORIES = ['offensive', 'insult', 'threat', 'slur', 'profanity', 'spam'] as const;
export type DecisionCategory = (typeof DECISION_CATEGORIES)[number];

export interface Change { itemId: number; to: ModerationState; reason: string; evidence?: unknown; category?: DecisionCategory }

/** Applies changes for one actor; returns how many items changed state. */
export async function changeModeration(db: Db, workspaceId: string, actor: Actor, changes: Change[], tool: string): Promise<number> {
  if (!changes.length) return 0;
  return db.transaction(async (tx) => {
    const rows = await tx.query<{ id: number; moderation: ModerationState; connection_id: string }>(
      `select id, moderation, connection_id from items where workspace_id = $1 and id = any($2::bigint[]) for update`,
      [workspaceId, changes.map((c) => c.itemId)]);
    const current = new Map(rows.map((r) => [r.id, r]));
    const events: unknown[] = [];
    const actions: unknown[] = [];
    const updates: { id: number; to: string }[] = [];
    for (const c of changes) {
      const item = current.get(c.itemId);
      if (!item || item.moderation === c.to) continue;
      events.push({
        item_id: c.itemId,
        data: { before: item.moderation, after: c.to, reason: c.reason, actorKind: actor.kind, actorName: actor.name, tool, evidence: c.evidence ?? null, ...(c.category ? { category: c.category } : {}) },
      });
      const act = platformAction(item.moderation, c.to);
      if (act) actions.push({ item_id: c.itemId, connection_id: item.connection_id, type: act });
      updates.push({ id: c.itemId, to: c.to });
      item.moderation = c.to;
    }
    if (!updates.length) return 0;
    await tx.query(
      `insert into events (workspace_id, item_id, actor_user_id, actor, type, data)
       select $1, e.item_id, $2, $3, 'moderation', e.data from jsonb_to_recordset($4::jsonb) as e(item_id bigint, data jsonb)`,
      [workspaceId, actor.userId ?? null, `${actor.kind}:${actor.name}`, JSON.stringify(events)]);
    await tx.query(
      `update items i set moderation = u.to_state, moderated_at = now()
       from jsonb_to_recordset($1::jsonb) as u(id bigint, to_state text) where i.id = u.id`,
      [JSON.stringify(updates.map((u) => ({ id: u.id, to_state: u.to })))]);
    if (actions.length) {
      await tx.query(
        `insert into actions (workspace_id, item_id, connection_id, type, created_by)
         select $1, a.item_id, a.connection_id, a.type, $2 from jsonb_to_recordset($3::jsonb) as a(item_id bigint, connection_id uuid, type text)`,
        [workspaceId, actor.userId ?? null, JSON.stringify(actions)]);
    }
    return updates.length;
  });
}
