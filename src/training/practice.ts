// Practice: sets of real past cases that carry the team's final decision (and reply), anonymised,
// chosen by a mentor or drawn stratified by category; a trainee's decision is scored against the
// reference at once, a written reply is graded by a mentor on a rubric.
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';
import { anonymiser } from './anonymise.js';
import type { Person } from './drafts.js';
import { checkSection } from './guidelines.js';

export const PRACTICE_DECISIONS = ['approve', 'hide', 'delete'] as const;
export const RUBRIC = ['tone', 'accuracy', 'policy', 'empathy'] as const;
const DECISION_OF: Record<string, string> = { visible: 'approve', hidden: 'hide', deleted: 'delete' };

/** An item's final decision: its latest moderation event, made by a person. */
const FINAL = (sample: string) => `
  select e.item_id, e.data->>'after' as after, e.data->>'reason' as reason,
    case when e.data->>'after' = 'visible' then 'ok' else coalesce(e.data->>'category', 'other') end as category
  from events e ${sample}
  where e.workspace_id = $1 and e.type = 'moderation' and e.data->>'actorKind' = 'person' and e.data->>'after' in ('visible', 'hidden', 'deleted')
    and not exists (select 1 from events l where l.item_id = e.item_id and l.type = 'moderation' and l.id > e.id)`;

interface Final { item_id: number; after: string; reason: string | null; category: string }

/** Equal shares per category; what a small category cannot fill goes to the others. */
export function allocate(available: Map<string, number>, size: number): Map<string, number> {
  const out = new Map([...available.keys()].map((k) => [k, 0]));
  let left = Math.min(size, [...available.values()].reduce((s, n) => s + n, 0));
  while (left > 0) {
    const open = [...available.keys()].filter((k) => out.get(k)! < available.get(k)!);
    const share = Math.max(1, Math.floor(left / open.length));
    for (const k of open) {
      if (left <= 0) break;
      const add = Math.min(share, available.get(k)! - out.get(k)!, left);
      out.set(k, out.get(k)! + add);
      left -= add;
    }
  }
  return out;
}

/** Drawn stratified: a block sample of the decisions (all of them when few), then equal shares per category. */
async function drawStratified(db: Db, workspaceId: string, size: number): Promise<Final[]> {
  const [{ estimate }] = await db.query<{ estimate: number }>(`select greatest(reltuples, 0)::float8 as estimate from pg_class where relname = 'events'`);
  // About 40 candidates per wanted case is plenty for equal shares of the usual few categories.
  let percent = estimate > 0 ? Math.min(100, Math.max(0.5, (100 * size * 40) / estimate)) : 100;
  for (;;) {
    const rows = await db.query<Final & { rn: number }>(
      `select * from (select f.*, row_number() over (partition by f.category order by random()) as rn from (${FINAL(percent < 100 ? `tablesample system (${percent.toFixed(3)})` : '')}) f) r where rn <= $2`,
      [workspaceId, size]);
    if (percent >= 100 || rows.length >= Math.min(size * 4, size * 40)) {
      const available = new Map<string, number>();
      for (const r of rows) available.set(r.category, (available.get(r.category) ?? 0) + 1);
      const quota = allocate(available, size);
      return rows.filter((r) => r.rn <= quota.get(r.category)!);
    }
    percent = 100;
  }
}

/** section: a guidelines section ("community#respekt") the set's cases cite in their reference. */
export async function buildPracticeSet(db: Db, workspaceId: string, mentor: Person, input: { name: string; size?: number; itemIds?: number[]; section?: string | null }) {
  const section = await checkSection(db, workspaceId, input.section, 'section');
  let finals: Final[];
  if (input.itemIds?.length) {
    finals = await db.query<Final>(`${FINAL('')} and e.item_id = any($2::bigint[])`, [workspaceId, input.itemIds]);
    const missing = input.itemIds.filter((id) => !finals.some((f) => f.item_id === id));
    if (missing.length) throw new HttpError(400, 'invalid_input', `itemIds: ${missing.slice(0, 10).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no final decision by a person in this workspace`);
    finals.sort((a, b) => input.itemIds!.indexOf(a.item_id) - input.itemIds!.indexOf(b.item_id));
  } else {
    finals = await drawStratified(db, workspaceId, input.size ?? 20);
  }
  if (!finals.length) throw new HttpError(400, 'no_cases', 'there are no past decisions by a person to practise on yet');
  const ids = finals.map((f) => f.item_id);
  const items = new Map((await db.query<any>(
    `select i.id, i.platform, coalesce(i.text_normalised, i.text) as text, i.author_name, i.author_handle,
       (select coalesce(r.text_normalised, r.text) from items r where r.conversation_id = i.conversation_id and r.direction = 'outbound'
          and r.created_at >= i.created_at order by r.created_at, r.id limit 1) as reply,
       (select coalesce(jsonb_agg(distinct jsonb_build_object('name', o.author_name, 'handle', o.author_handle)), '[]') from items o
          where o.conversation_id = i.conversation_id and o.direction = 'inbound' and o.id <> i.id and i.conversation_id is not null) as others
     from items i where i.id = any($1::bigint[])`, [ids])).map((r) => [r.id, r]));
  return db.transaction(async (tx) => {
    const [set] = await tx.query<{ id: number }>(`insert into practice_sets (workspace_id, name, created_by) values ($1, $2, $3) returning id`, [workspaceId, input.name, mentor.userId]);
    const cases = finals.map((f, position) => {
      const i = items.get(f.item_id);
      const anon = anonymiser([{ name: i.author_name, handle: i.author_handle }, ...(i.others ?? [])]);
      return {
        position, source_item_id: f.item_id, platform: i.platform, text: anon(i.text), category: f.category,
        reference_decision: DECISION_OF[f.after], reference_reply: i.reply ? anon(i.reply) : null, reference_reason: f.reason ? anon(f.reason) : null, guideline_section: section,
      };
    });
    await tx.query(
      `insert into practice_cases (set_id, workspace_id, source_item_id, position, platform, text, category, reference_decision, reference_reply, reference_reason, guideline_section)
       select $1, $2, c.source_item_id, c.position, c.platform, c.text, c.category, c.reference_decision, c.reference_reply, c.reference_reason, c.guideline_section
       from jsonb_to_recordset($3::jsonb) as c(source_item_id bigint, position int, platform text, text text, category text, reference_decision text, reference_reply text, reference_reason text, guideline_section text)`,
      [set.id, workspaceId, JSON.stringify(cases)]);
    await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'training.practice_set', $4)`,
      [workspaceId, mentor.userId, `person:${mentor.name}`, JSON.stringify({ setId: set.id, name: input.name, cases: cases.length, before: null, after: 'created' })]);
    const perCategory: Record<string, number> = {};
    for (const c of cases) perCategory[c.category] = (perCategory[c.category] ?? 0) + 1;
    return { id: set.id, cases: cases.length, perCategory };
  });
}

/** A set as a trainee sees it: the anonymised cases, never the source item or the reference. */
export async function practiceSet(db: Db, workspaceId: string, setId: number, userId: string | null) {
  const [set] = await db.query<any>(`select id, name, created_at from practice_sets where workspace_id = $1 and id = $2`, [workspaceId, setId]);
  if (!set) throw new HttpError(404, 'not_found', 'no such practice set in this workspace');
  const cases = await db.query<any>(
    `select c.id, c.position, c.platform, c.text, c.reference_reply is not null as reply_expected,
       (select jsonb_build_object('decision', a.decision, 'correct', a.correct) from practice_answers a where a.case_id = c.id and a.user_id = $2 order by a.id desc limit 1) as mine
     from practice_cases c where c.set_id = $1 order by c.position`, [setId, userId]);
  return {
    id: set.id, name: set.name, createdAt: new Date(set.created_at).toISOString(),
    cases: cases.map((c) => ({ id: c.id, position: c.position, platform: c.platform, text: c.text, replyExpected: c.reply_expected, answered: c.mine })),
  };
}

export interface Submission { caseId: number; decision: string; category?: string | null; reply?: string | null }

/**
 * Scores decisions against the cases' references in one statement: right when the decision is the
 * team's and, for a removal with a named category, the category too. Returns each with the reference.
 */
export async function scoreSubmissions(db: Db, workspaceId: string, userId: string | null, subs: Submission[]) {
  const rows = await db.query<any>(
    `with s as (select * from jsonb_to_recordset($3::jsonb) as s(n int, case_id bigint, decision text, category text, reply text)),
     scored as (
       insert into practice_answers (case_id, workspace_id, user_id, decision, reply, correct)
       select c.id, $1, $2, s.decision, s.reply,
         s.decision = c.reference_decision and (c.reference_decision = 'approve' or c.category = 'other' or s.category = c.category)
       from s join practice_cases c on c.id = s.case_id and c.workspace_id = $1
       returning id, case_id, correct)
     select sc.id as answer_id, sc.case_id, sc.correct, c.category, c.reference_decision, c.reference_reason, c.reference_reply, c.guideline_section
     from scored sc join practice_cases c on c.id = sc.case_id`,
    [workspaceId, userId, JSON.stringify(subs.map((s, n) => ({ n, case_id: s.caseId, decision: s.decision, category: s.category ?? null, reply: s.reply ?? null })))]);
  return rows.map((r) => ({
    answerId: r.answer_id, caseId: r.case_id, correct: r.correct,
    reference: { decision: r.reference_decision, category: r.category, reason: r.reference_reason, reply: r.reference_reply, section: r.guideline_section },
  }));
}

/** Written replies waiting for a mentor's grade. */
export async function ungradedReplies(db: Db, workspaceId: string) {
  const rows = await db.query<any>(
    `select a.id, a.reply, a.created_at, u.name, c.text, c.reference_reply from practice_answers a join practice_cases c on c.id = a.case_id
     left join users u on u.id = a.user_id
     where a.workspace_id = $1 and a.reply is not null and a.grade is null order by a.id limit 200`, [workspaceId]);
  return rows.map((r) => ({ id: r.id, trainee: r.name, case: r.text, reply: r.reply, referenceReply: r.reference_reply, createdAt: new Date(r.created_at).toISOString() }));
}

export async function gradeReply(db: Db, workspaceId: string, mentor: Person, answerId: number, grade: Record<string, number>) {
  return db.transaction(async (tx) => {
    const [a] = await tx.query<any>(`select id, user_id, reply, grade from practice_answers where workspace_id = $1 and id = $2 for update`, [workspaceId, answerId]);
    if (!a || a.reply === null) throw new HttpError(404, 'not_found', 'no such written practice reply in this workspace');
    if (a.user_id === mentor.userId) throw new HttpError(403, 'own_answer', 'nobody grades their own practice reply');
    await tx.query(`update practice_answers set grade = $2, graded_by = $3 where id = $1`, [answerId, JSON.stringify(grade), mentor.userId]);
    await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'training.practice_grade', $4)`,
      [workspaceId, mentor.userId, `person:${mentor.name}`, JSON.stringify({ answerId, before: a.grade, after: grade })]);
    return { id: answerId, grade };
  });
}
