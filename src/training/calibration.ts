// Calibration: a manager sends one sample of items to several moderators, who label them blind
// (nobody sees another's label); the results show how far the team agrees, per category and pair,
// and the items to talk about. Rounds repeat over time: the trend is Fleiss' kappa per round.
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';
import { DECISION_CATEGORIES } from '../moderation/state.js';
import { roundAgreement } from './agreement.js';
import type { Person } from './drafts.js';

export const DEFAULT_LABELS = ['ok', ...DECISION_CATEGORIES];

export async function createRound(db: Db, workspaceId: string, manager: Person, input: { name: string; raters: string[]; itemIds?: number[]; size?: number; labels?: string[] }) {
  const raters = [...new Set(input.raters)];
  if (raters.length < 2) throw new HttpError(400, 'invalid_input', 'raters: a calibration round needs at least two people');
  const members = await db.query<{ user_id: string; role: string }>(`select user_id, role from memberships where workspace_id = $1 and user_id = any($2::uuid[])`, [workspaceId, raters]);
  const strangers = raters.filter((r) => !members.some((m) => m.user_id === r && m.role !== 'analyst'));
  if (strangers.length) throw new HttpError(400, 'invalid_input', `raters: ${strangers.join(', ')} ${strangers.length === 1 ? 'is' : 'are'} not a moderating member of this workspace`);
  const items = input.itemIds?.length
    ? await db.query<{ id: number; text: string }>(`select id, coalesce(text_normalised, text) as text from items where workspace_id = $1 and id = any($2::bigint[]) order by array_position($2::bigint[], id)`, [workspaceId, input.itemIds])
    : await db.query<{ id: number; text: string }>(`select id, coalesce(text_normalised, text) as text from items where workspace_id = $1 and direction = 'inbound' order by random() limit $2`, [workspaceId, input.size ?? 20]);
  if (input.itemIds?.length && items.length !== input.itemIds.length) {
    const missing = input.itemIds.filter((id) => !items.some((i) => i.id === id));
    throw new HttpError(400, 'invalid_input', `itemIds: no item ${missing.slice(0, 10).join(', ')} in this workspace`);
  }
  if (!items.length) throw new HttpError(400, 'invalid_input', 'there are no items to calibrate on yet');
  const labels = input.labels?.length ? [...new Set(input.labels)] : DEFAULT_LABELS;
  return db.transaction(async (tx) => {
    const [round] = await tx.query<{ id: number }>(`insert into calibration_rounds (workspace_id, name, labels, raters, created_by) values ($1, $2, $3, $4, $5) returning id`,
      [workspaceId, input.name, labels, raters, manager.userId]);
    await tx.query(`insert into calibration_items (round_id, position, item_id, text) select $1, t.n, t.id, t.text from jsonb_to_recordset($2::jsonb) as t(n int, id bigint, text text)`,
      [round.id, JSON.stringify(items.map((i, n) => ({ n, id: i.id, text: i.text })))]);
    await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'training.calibration', $4)`,
      [workspaceId, manager.userId, `person:${manager.name}`, JSON.stringify({ roundId: round.id, name: input.name, raters, items: items.length, before: null, after: 'created' })]);
    return { id: round.id, items: items.length, labels, raters };
  });
}

async function roundOf(db: Db, workspaceId: string, roundId: number) {
  const [r] = await db.query<any>(`select * from calibration_rounds where workspace_id = $1 and id = $2`, [workspaceId, roundId]);
  if (!r) throw new HttpError(404, 'not_found', 'no such calibration round in this workspace');
  return r;
}

/** A rater's view: the items and their own labels only (blind). */
export async function raterItems(db: Db, workspaceId: string, roundId: number, userId: string) {
  const r = await roundOf(db, workspaceId, roundId);
  if (!r.raters.includes(userId)) throw new HttpError(403, 'not_a_rater', 'you are not one of the raters of this round');
  const items = await db.query<any>(
    `select ci.position, ci.text, (select label from calibration_answers a where a.round_id = ci.round_id and a.position = ci.position and a.user_id = $2) as label
     from calibration_items ci where ci.round_id = $1 order by ci.position`, [roundId, userId]);
  return { id: r.id, name: r.name, labels: r.labels, items };
}

export async function answer(db: Db, workspaceId: string, roundId: number, userId: string, position: number, label: string) {
  const r = await roundOf(db, workspaceId, roundId);
  if (!r.raters.includes(userId)) throw new HttpError(403, 'not_a_rater', 'you are not one of the raters of this round');
  if (!r.labels.includes(label)) throw new HttpError(400, 'invalid_input', `label: "${label}" is not one of this round's labels (${r.labels.join(', ')})`);
  const [it] = await db.query(`select 1 from calibration_items where round_id = $1 and position = $2`, [roundId, position]);
  if (!it) throw new HttpError(404, 'not_found', `no item ${position} in this round`);
  await db.query(`insert into calibration_answers (round_id, position, user_id, label) values ($1, $2, $3, $4)
    on conflict (round_id, position, user_id) do update set label = excluded.label, created_at = now()`, [roundId, position, userId, label]);
  return { ok: true };
}

export async function roundResults(db: Db, workspaceId: string, roundId: number) {
  const r = await roundOf(db, workspaceId, roundId);
  const names = new Map((await db.query<{ id: string; name: string }>(`select id, name from users where id = any($1::uuid[])`, [r.raters])).map((u) => [u.id, u.name]));
  const items = await db.query<{ position: number; text: string }>(`select position, text from calibration_items where round_id = $1 order by position`, [roundId]);
  const answers = new Map<number, Map<string, string>>(items.map((i) => [i.position, new Map()]));
  for (const a of await db.query<{ position: number; user_id: string; label: string }>(`select position, user_id, label from calibration_answers where round_id = $1`, [roundId])) {
    answers.get(a.position)?.set(a.user_id, a.label);
  }
  const agreement = roundAgreement(r.labels, r.raters, answers);
  const name = (id: string) => names.get(id) ?? '?';
  return {
    id: r.id, name: r.name, labels: r.labels, createdAt: new Date(r.created_at).toISOString(),
    raters: r.raters.map((id: string) => ({ userId: id, name: name(id), answered: items.filter((i) => answers.get(i.position)!.has(id)).length })),
    items: items.length,
    fleissKappa: agreement.fleiss, krippendorffAlpha: agreement.alpha, perCategory: agreement.perCategory,
    pairwise: agreement.pairwise.map((p) => ({ a: name(p.a), b: name(p.b), kappa: p.kappa, items: p.items })),
    disagreements: agreement.disagreements.map((pos) => ({
      position: pos, text: items.find((i) => i.position === pos)!.text,
      labels: r.raters.filter((id: string) => answers.get(pos)!.has(id)).map((id: string) => ({ name: name(id), label: answers.get(pos)!.get(id)! })),
    })),
  };
}

/** Rounds, newest first; managers get each round's figures (the trend), raters their own progress. */
export async function listRounds(db: Db, workspaceId: string, userId: string | null, withResults: boolean) {
  const rounds = await db.query<any>(
    `select r.id, r.name, r.created_at, r.raters, (select count(*)::int from calibration_items i where i.round_id = r.id) as items,
       (select count(*)::int from calibration_answers a where a.round_id = r.id and a.user_id = $2) as mine
     from calibration_rounds r where r.workspace_id = $1 and ($3 or $2 = any(r.raters)) order by r.id desc limit 100`, [workspaceId, userId, withResults]);
  const out = [];
  for (const r of rounds) {
    const res = withResults ? await roundResults(db, workspaceId, r.id) : null;
    out.push({ id: r.id, name: r.name, createdAt: new Date(r.created_at).toISOString(), items: r.items, rater: userId ? r.raters.includes(userId) : false, answeredByMe: r.mine,
      fleissKappa: res?.fleissKappa ?? null, krippendorffAlpha: res?.krippendorffAlpha ?? null });
  }
  return out;
}
