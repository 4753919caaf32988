// How a trainee is doing, for themselves and their mentors: reviewed drafts, approval rate, median
// edit size, feedback themes, practice scores per category over time, calibration agreement,
// exposure to harmful items; and, per action, whether their record suggests lifting the approval
// requirement (a manager decides). Also the trainee's access to the hate/threat queue.
import type { Db } from '../store/db.js';
import { HttpError } from '../http/errors.js';
import { trainingSettings, TRAINEE_ACTIONS, type TraineeAction } from './policy.js';
import { roundResults } from './calibration.js';
import type { Person } from './drafts.js';

/** Per action: agreement over the last N reviewed drafts (approved unchanged = agreed). */
export async function autonomySuggestions(db: Db, workspaceId: string, userId: string) {
  const settings = await trainingSettings(db, workspaceId);
  const [t] = await db.query<{ autonomy: string[] }>(`select autonomy from trainees where workspace_id = $1 and user_id = $2`, [workspaceId, userId]);
  const granted = t?.autonomy ?? [];
  const rows = await db.query<{ action: string; reviewed: number; agreed: number }>(
    `select action, count(*)::int as reviewed, count(*) filter (where state = 'approved' and edit_size = 0)::int as agreed from (
       select action, state, edit_size, row_number() over (partition by action order by reviewed_at desc, id desc) as rn
       from training_drafts where workspace_id = $1 and author_user_id = $2 and state <> 'pending') d
     where rn <= $3 group by action`, [workspaceId, userId, settings.autonomyWindow]);
  return TRAINEE_ACTIONS.filter((a) => settings.policies[a] === 'approval').map((action) => {
    const r = rows.find((x) => x.action === action);
    const reviewed = r?.reviewed ?? 0;
    const agreement = reviewed ? r!.agreed / reviewed : null;
    return {
      action, reviewed, agreement, granted: granted.includes(action),
      suggested: !granted.includes(action) && reviewed >= settings.autonomyWindow && agreement !== null && agreement >= settings.autonomyThreshold,
    };
  });
}

export async function setAutonomy(db: Db, workspaceId: string, manager: Person, userId: string, action: TraineeAction, granted: boolean) {
  await mustBeTrainee(db, workspaceId, userId);
  return db.transaction(async (tx) => {
    await tx.query(`insert into trainees (workspace_id, user_id) values ($1, $2) on conflict do nothing`, [workspaceId, userId]);
    const [before] = await tx.query<{ autonomy: string[] }>(`select autonomy from trainees where workspace_id = $1 and user_id = $2 for update`, [workspaceId, userId]);
    const after = granted ? [...new Set([...before.autonomy, action])] : before.autonomy.filter((a) => a !== action);
    await tx.query(`update trainees set autonomy = $3 where workspace_id = $1 and user_id = $2`, [workspaceId, userId, after]);
    await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'training.autonomy', $4)`,
      [workspaceId, manager.userId, `person:${manager.name}`, JSON.stringify({ userId, action, before: before.autonomy, after })]);
    return { userId, autonomy: after };
  });
}

async function mustBeTrainee(db: Db, workspaceId: string, userId: string) {
  const [m] = await db.query<{ role: string }>(`select role from memberships where workspace_id = $1 and user_id = $2`, [workspaceId, userId]);
  if (!m) throw new HttpError(404, 'not_found', 'no such member in this workspace');
  if (m.role !== 'trainee') throw new HttpError(400, 'invalid_input', `userId: this member is ${m.role}, not a trainee`);
}

/** Manager's permission (allowed) and the trainee's own choice (optedIn); both are needed. */
export async function setHarmful(db: Db, workspaceId: string, actor: Person, userId: string, change: { allowed?: boolean; optedIn?: boolean }) {
  await mustBeTrainee(db, workspaceId, userId);
  return db.transaction(async (tx) => {
    await tx.query(`insert into trainees (workspace_id, user_id) values ($1, $2) on conflict do nothing`, [workspaceId, userId]);
    const [before] = await tx.query<any>(`select harmful_allowed, harmful_opted_in from trainees where workspace_id = $1 and user_id = $2 for update`, [workspaceId, userId]);
    const after = { allowed: change.allowed ?? before.harmful_allowed, optedIn: change.optedIn ?? before.harmful_opted_in };
    await tx.query(`update trainees set harmful_allowed = $3, harmful_opted_in = $4 where workspace_id = $1 and user_id = $2`, [workspaceId, userId, after.allowed, after.optedIn]);
    await tx.query(`insert into events (workspace_id, actor_user_id, actor, type, data) values ($1, $2, $3, 'training.harmful_queue', $4)`,
      [workspaceId, actor.userId, `person:${actor.name}`, JSON.stringify({ userId, before: { allowed: before.harmful_allowed, optedIn: before.harmful_opted_in }, after })]);
    return after;
  });
}

/**
 * What the review queue may show this trainee: harmful items only with the manager's permission
 * and their own opt-in, and not once today's count reached the cap (then: take a break).
 */
export async function traineeQueueAccess(db: Db, workspaceId: string, userId: string) {
  const settings = await trainingSettings(db, workspaceId);
  const [t] = await db.query<any>(`select harmful_allowed, harmful_opted_in from trainees where workspace_id = $1 and user_id = $2`, [workspaceId, userId]);
  const [{ n }] = await db.query<{ n: number }>(`select count(*)::int as n from harm_views where workspace_id = $1 and user_id = $2 and day = current_date`, [workspaceId, userId]);
  const allowed = !!t?.harmful_allowed;
  const optedIn = !!t?.harmful_opted_in;
  const breakPrompt = n >= settings.dailyExposureCap;
  return { allowed, optedIn, seenToday: n, cap: settings.dailyExposureCap, breakPrompt, harmfulVisible: allowed && optedIn && !breakPrompt };
}

const median = (xs: number[]) => {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function traineeProgress(db: Db, workspaceId: string, userId: string) {
  const [u] = await db.query<{ name: string; role: string }>(`select u.name, m.role from users u join memberships m on m.user_id = u.id and m.workspace_id = $1 where u.id = $2`, [workspaceId, userId]);
  if (!u) throw new HttpError(404, 'not_found', 'no such member in this workspace');
  const drafts = await db.query<{ state: string; edit_size: number | null; kind: string; feedback_tags: string[] }>(
    `select state, edit_size, kind, feedback_tags from training_drafts where workspace_id = $1 and author_user_id = $2`, [workspaceId, userId]);
  const reviewed = drafts.filter((d) => d.state !== 'pending');
  const approved = reviewed.filter((d) => d.state === 'approved');
  const themes: Record<string, number> = {};
  for (const d of reviewed) for (const tag of d.feedback_tags) themes[tag] = (themes[tag] ?? 0) + 1;
  const practice = await db.query<{ category: string; week: string; answers: number; correct: number }>(
    `select c.category, to_char(date_trunc('week', a.created_at), 'YYYY-MM-DD') as week, count(*)::int as answers, count(*) filter (where a.correct)::int as correct
     from practice_answers a join practice_cases c on c.id = a.case_id where a.workspace_id = $1 and a.user_id = $2 group by 1, 2 order by 2, 1`, [workspaceId, userId]);
  const perCategory: Record<string, { answers: number; correct: number; share: number }> = {};
  for (const p of practice) {
    const c = perCategory[p.category] ?? { answers: 0, correct: 0, share: 0 };
    c.answers += p.answers;
    c.correct += p.correct;
    c.share = c.correct / c.answers;
    perCategory[p.category] = c;
  }
  const [grades] = await db.query<any>(
    `select count(*)::int as graded, avg((grade->>'tone')::int)::float8 as tone, avg((grade->>'accuracy')::int)::float8 as accuracy,
       avg((grade->>'policy')::int)::float8 as policy, avg((grade->>'empathy')::int)::float8 as empathy
     from practice_answers where workspace_id = $1 and user_id = $2 and grade is not null`, [workspaceId, userId]);
  const rounds = await db.query<{ id: number }>(`select id from calibration_rounds where workspace_id = $1 and $2 = any(raters) order by id`, [workspaceId, userId]);
  const calibration = [];
  for (const r of rounds) {
    const res = await roundResults(db, workspaceId, r.id);
    const mine = res.pairwise.filter((p) => p.a === u.name || p.b === u.name).map((p) => p.kappa).filter((k): k is number => k !== null);
    calibration.push({ roundId: r.id, name: res.name, createdAt: res.createdAt, fleissKappa: res.fleissKappa, meanKappaWithOthers: mine.length ? mine.reduce((s, k) => s + k, 0) / mine.length : null });
  }
  const exposure = await db.query<{ day: string; items: number }>(
    `select day::text as day, count(*)::int as items from harm_views where workspace_id = $1 and user_id = $2 and day > current_date - 14 group by day order by day`, [workspaceId, userId]);
  return {
    userId, name: u.name, role: u.role,
    drafts: { total: drafts.length, pending: drafts.length - reviewed.length, reviewed: reviewed.length, approved: approved.length,
      approvalRate: reviewed.length ? approved.length / reviewed.length : null,
      medianEditSize: median(approved.filter((d) => d.kind === 'reply').map((d) => d.edit_size ?? 0)) },
    feedbackThemes: Object.entries(themes).sort((a, b) => b[1] - a[1]).map(([tag, count]) => ({ tag, count })),
    practice: { perCategory, perWeek: practice, replyGrades: grades },
    calibration,
    exposure,
    autonomy: await autonomySuggestions(db, workspaceId, userId),
    queue: await traineeQueueAccess(db, workspaceId, userId),
  };
}

/** The mentor overview: every trainee with the figures that show where they need help. */
export async function traineesOverview(db: Db, workspaceId: string) {
  const trainees = await db.query<{ user_id: string }>(`select user_id from memberships where workspace_id = $1 and role = 'trainee' order by created_at`, [workspaceId]);
  const out = [];
  for (const t of trainees) {
    const p = await traineeProgress(db, workspaceId, t.user_id);
    const weakest = Object.entries(p.practice.perCategory).sort((a, b) => a[1].share - b[1].share)[0];
    out.push({
      userId: p.userId, name: p.name, pending: p.drafts.pending, reviewed: p.drafts.reviewed, approvalRate: p.drafts.approvalRate,
      medianEditSize: p.drafts.medianEditSize, topTheme: p.feedbackThemes[0]?.tag ?? null,
      weakestCategory: weakest ? { category: weakest[0], share: weakest[1].share } : null,
      exposureToday: p.queue.seenToday, suggestions: p.autonomy.filter((a) => a.suggested).map((a) => a.action),
    });
  }
  return out;
}
