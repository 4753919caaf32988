// Inbox figures. The definitions here are the ones the app shows (web/src/messages/metrics.ts
// says the same in German and English); change both together.
//
// Scope: inbound items created in [from, to), and the conversations they belong to.
//   first response time   per conversation whose first inbound item lies in the period: from that
//                         item to the team's first outbound item after it. Unanswered ones count
//                         in "open", not in the times.
//   next response time    per wait after the first answer: from the first inbound item after an
//                         outbound one (in the period) to the next outbound item.
//   resolution time       per conversation whose first inbound item lies in the period and that is
//                         done: from that item to the time it was last set to done.
//   response rate         among inbound items in the period that need an answer (the team's
//                         correction, else the detector's signal): the share followed by an
//                         outbound item in the same conversation ("at all"), and the share where
//                         that came within the policy's target, counted from the item itself
//                         (first-response target if the team had not yet written in the
//                         conversation, next-response target otherwise; items under no policy
//                         or a policy without that target are left out of "within SLA").
//   volume                inbound items in the period by hour of day and weekday, in the
//                         workspace's time zone.
// Each time is given on the wall clock and in business hours (the workspace's calendar);
// figures are p50, p90 and mean in seconds. Breakdowns: platform, team, person (the
// conversation's assignee now) and period (day, week starting Monday, month; local dates).
import type { Db } from '../store/db.js';
import { businessMsBetween, localToInstant, type BusinessCalendar } from './calendar.js';
import { getCalendar, listPolicies, matchPolicy, type Policy } from './policies.js';

export const GROUPS = ['none', 'platform', 'team', 'person', 'day', 'week', 'month'] as const;
export type GroupBy = (typeof GROUPS)[number];

export interface MetricsQuery { from: Date; to: Date; groupBy: GroupBy; platform?: string; teamId?: string; assigneeId?: string }

interface ItemRow {
  id: number; conversation_id: number; direction: 'inbound' | 'outbound'; created_at: Date; needs_answer: boolean | null;
  platform: string; team: string | null; person: string | null; status: string; done_at: Date | null; labels: string[]; priority: number;
}

export interface TimeFigures { count: number; p50: number | null; p90: number | null; mean: number | null }
export interface Figures {
  group: string;
  conversations: number;
  inbound: number;
  firstResponse: { wall: TimeFigures; business: TimeFigures; unanswered: number };
  nextResponse: { wall: TimeFigures; business: TimeFigures; unanswered: number };
  resolution: { wall: TimeFigures; business: TimeFigures; unresolved: number };
  responseRate: { needAnswer: number; answered: number; withinSlaOf: number; withinSla: number; atAll: number | null; inSla: number | null };
}
export interface Metrics {
  from: string; to: string; groupBy: GroupBy; timeZone: string;
  total: Figures;
  groups: Figures[];
  volume: { byHour: number[]; byWeekday: number[] };
}

function quantile(sorted: number[], q: number): number | null {
  if (!sorted.length) return null;
  // Nearest rank: the smallest value with at least q of the values at or below it.
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)];
}
function figures(ms: number[]): TimeFigures {
  const s = ms.map((m) => m / 1000).sort((a, b) => a - b);
  return { count: s.length, p50: quantile(s, 0.5), p90: quantile(s, 0.9), mean: s.length ? s.reduce((a, b) => a + b, 0) / s.length : null };
}

const dayParts = (tz: string) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', hourCycle: 'h23', weekday: 'short' });
const WEEKDAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

function localInfo(fmt: Intl.DateTimeFormat, t: Date) {
  const p: Record<string, string> = {};
  for (const x of fmt.formatToParts(t)) p[x.type] = x.value;
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: WEEKDAY_INDEX[p.weekday] };
}

function periodKey(groupBy: GroupBy, date: string, weekday: number): string {
  if (groupBy === 'month') return date.slice(0, 7);
  if (groupBy === 'week') {
    const d = new Date(`${date}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() - weekday);
    return d.toISOString().slice(0, 10);
  }
  return date;
}

/** The figures for one set of conversations (all their items, in time order per conversation). */
function compute(group: string, convs: ItemRow[][], q: MetricsQuery, cal: BusinessCalendar, policies: Policy[]): Figures {
  const inPeriod = (t: Date) => +t >= +q.from && +t < +q.to;
  const fr = { wall: [] as number[], business: [] as number[], unanswered: 0 };
  const nr = { wall: [] as number[], business: [] as number[], unanswered: 0 };
  const rs = { wall: [] as number[], business: [] as number[], unresolved: 0 };
  const rate = { needAnswer: 0, answered: 0, withinSlaOf: 0, withinSla: 0 };
  let inbound = 0;
  let conversations = 0;
  for (const items of convs) {
    const c = items[0];
    const policy = matchPolicy(policies, c);
    const firstIn = items.find((i) => i.direction === 'inbound');
    if (!firstIn) continue;
    let counted = false;
    // Index of the next outbound item after each position.
    const nextOut: (ItemRow | null)[] = new Array(items.length).fill(null);
    for (let k = items.length - 1, next: ItemRow | null = null; k >= 0; k--) {
      nextOut[k] = next;
      if (items[k].direction === 'outbound') next = items[k];
    }
    const span = (a: Date, b: Date) => ({ wall: +b - +a, business: businessMsBetween(cal, a, b) });
    if (inPeriod(firstIn.created_at)) {
      counted = true;
      const k = items.indexOf(firstIn);
      const answer = nextOut[k];
      if (answer) { const s = span(firstIn.created_at, answer.created_at); fr.wall.push(s.wall); fr.business.push(s.business); } else fr.unanswered++;
      if (c.status === 'done' && c.done_at) { const s = span(firstIn.created_at, c.done_at); rs.wall.push(s.wall); rs.business.push(s.business); } else rs.unresolved++;
    }
    let teamHasWritten = false;
    for (let k = 0; k < items.length; k++) {
      const it = items[k];
      if (it.direction === 'outbound') { teamHasWritten = true; continue; }
      if (!inPeriod(it.created_at)) continue;
      counted = true;
      inbound++;
      const answer = nextOut[k];
      // A new wait: the first inbound item after one of the team's answers.
      if (teamHasWritten && items[k - 1]?.direction === 'outbound') {
        if (answer) { const s = span(it.created_at, answer.created_at); nr.wall.push(s.wall); nr.business.push(s.business); } else nr.unanswered++;
      }
      if (it.needs_answer !== true) continue;
      rate.needAnswer++;
      if (answer) rate.answered++;
      const target = teamHasWritten ? policy?.nextResponseMinutes : policy?.firstResponseMinutes;
      if (policy && target) {
        rate.withinSlaOf++;
        const took = answer ? (policy.businessHours ? businessMsBetween(cal, it.created_at, answer.created_at) : +answer.created_at - +it.created_at) : Infinity;
        if (took <= target * 60_000) rate.withinSla++;
      }
    }
    if (counted) conversations++;
  }
  return {
    group, conversations, inbound,
    firstResponse: { wall: figures(fr.wall), business: figures(fr.business), unanswered: fr.unanswered },
    nextResponse: { wall: figures(nr.wall), business: figures(nr.business), unanswered: nr.unanswered },
    resolution: { wall: figures(rs.wall), business: figures(rs.business), unresolved: rs.unresolved },
    responseRate: { ...rate, atAll: rate.needAnswer ? rate.answered / rate.needAnswer : null, inSla: rate.withinSlaOf ? rate.withinSla / rate.withinSlaOf : null },
  };
}

export async function inboxMetrics(db: Db, workspaceId: string, q: MetricsQuery): Promise<Metrics> {
  const [cal, policies] = await Promise.all([getCalendar(db, workspaceId), listPolicies(db, workspaceId)]);
  const params: unknown[] = [workspaceId, q.from, q.to];
  const where: string[] = [];
  if (q.platform) { params.push(q.platform); where.push(`c.platform = $${params.length}`); }
  if (q.teamId) { params.push(q.teamId); where.push(`c.team_id = $${params.length}`); }
  if (q.assigneeId) { params.push(q.assigneeId); where.push(`c.assignee_user_id = $${params.length}`); }
  const rows = await db.query<ItemRow>(
    `select i.id, i.conversation_id, i.direction, i.created_at,
       coalesce(nc.needs_answer, (select s.label = 'needs_answer' from signals s where s.item_id = i.id and s.kind = 'needs_answer' order by s.id desc limit 1)) as needs_answer,
       c.platform, t.name as team, u.name as person, c.status, c.done_at, c.labels, c.priority
     from conversations c
     join items i on i.conversation_id = c.id
     left join needs_answer_corrections nc on nc.item_id = i.id
     left join teams t on t.id = c.team_id
     left join users u on u.id = c.assignee_user_id
     where c.workspace_id = $1 and c.last_inbound_at >= $2 and c.first_inbound_at < $3 ${where.map((w) => `and ${w}`).join(' ')}
     order by c.id, i.created_at, i.id`, params);
  const byConv = new Map<number, ItemRow[]>();
  for (const r of rows) {
    let list = byConv.get(r.conversation_id);
    if (!list) byConv.set(r.conversation_id, (list = []));
    list.push(r);
  }
  const convs = [...byConv.values()];
  const fmt = dayParts(cal.timeZone);
  const byHour = new Array(24).fill(0);
  const byWeekday = new Array(7).fill(0);
  for (const r of rows) {
    if (r.direction !== 'inbound' || +r.created_at < +q.from || +r.created_at >= +q.to) continue;
    const l = localInfo(fmt, r.created_at);
    byHour[l.hour]++;
    byWeekday[l.weekday]++;
  }
  const groups: Figures[] = [];
  if (q.groupBy !== 'none') {
    const buckets = new Map<string, ItemRow[][]>();
    const add = (key: string, items: ItemRow[]) => {
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = []));
      b.push(items);
    };
    for (const items of convs) {
      const c = items[0];
      if (q.groupBy === 'platform') add(c.platform, items);
      else if (q.groupBy === 'team') add(c.team ?? '–', items);
      else if (q.groupBy === 'person') add(c.person ?? '–', items);
      else {
        // A period holds the conversation's items of that period: split by the inbound items' dates,
        // keeping every outbound item so answers after the period still count.
        const keys = new Set(items.filter((i) => i.direction === 'inbound').map((i) => { const l = localInfo(fmt, i.created_at); return periodKey(q.groupBy, l.date, l.weekday); }));
        for (const k of keys) add(k, items);
      }
    }
    for (const key of [...buckets.keys()].sort()) {
      let scope = q;
      if (q.groupBy === 'day' || q.groupBy === 'week' || q.groupBy === 'month') scope = { ...q, ...periodBounds(cal.timeZone, q.groupBy, key, q) };
      groups.push(compute(key, buckets.get(key)!, scope, cal, policies));
    }
  }
  return { from: q.from.toISOString(), to: q.to.toISOString(), groupBy: q.groupBy, timeZone: cal.timeZone, total: compute('all', convs, q, cal, policies), groups: groups.filter((g) => g.conversations > 0), volume: { byHour, byWeekday } };
}

/** The instants a local day, week or month key covers, within the query's period. */
function periodBounds(tz: string, groupBy: 'day' | 'week' | 'month', key: string, q: MetricsQuery): { from: Date; to: Date } {
  const [y, m, d] = groupBy === 'month' ? [...key.split('-').map(Number), 1] : key.split('-').map(Number);
  const start = Date.UTC(y, m - 1, d);
  const end = groupBy === 'day' ? Date.UTC(y, m - 1, d + 1) : groupBy === 'week' ? Date.UTC(y, m - 1, d + 7) : Date.UTC(y, m, 1);
  const from = localToInstant(tz, start, 0);
  const to = localToInstant(tz, end, 0);
  return { from: new Date(Math.max(from, +q.from)), to: new Date(Math.min(to, +q.to)) };
}

const csvCell = (v: unknown) => {
  const s = v == null ? '' : String(v);
  // A cell starting with = + - @ would be a formula in a spreadsheet: quote it with a leading '.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r;]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
};

export const CSV_COLUMNS = [
  'group', 'conversations', 'inbound',
  'first_response_count', 'first_response_p50_s', 'first_response_p90_s', 'first_response_mean_s', 'first_response_business_p50_s', 'first_response_business_p90_s', 'first_response_business_mean_s', 'first_response_unanswered',
  'next_response_count', 'next_response_p50_s', 'next_response_p90_s', 'next_response_mean_s', 'next_response_business_p50_s', 'next_response_business_p90_s', 'next_response_business_mean_s', 'next_response_unanswered',
  'resolution_count', 'resolution_p50_s', 'resolution_p90_s', 'resolution_mean_s', 'resolution_business_p50_s', 'resolution_business_p90_s', 'resolution_business_mean_s', 'unresolved',
  'need_answer', 'answered', 'response_rate', 'sla_counted', 'within_sla', 'response_rate_within_sla',
] as const;

const round = (n: number | null) => (n == null ? null : Math.round(n * 1000) / 1000);

export function metricsCsv(m: Metrics): string {
  const t = (f: TimeFigures) => [f.count, round(f.p50), round(f.p90), round(f.mean)];
  const tb = (f: TimeFigures) => [round(f.p50), round(f.p90), round(f.mean)];
  const row = (g: Figures) => [
    g.group, g.conversations, g.inbound,
    ...t(g.firstResponse.wall), ...tb(g.firstResponse.business), g.firstResponse.unanswered,
    ...t(g.nextResponse.wall), ...tb(g.nextResponse.business), g.nextResponse.unanswered,
    ...t(g.resolution.wall), ...tb(g.resolution.business), g.resolution.unresolved,
    g.responseRate.needAnswer, g.responseRate.answered, round(g.responseRate.atAll), g.responseRate.withinSlaOf, g.responseRate.withinSla, round(g.responseRate.inSla),
  ];
  return [CSV_COLUMNS.join(','), ...[m.total, ...m.groups].map((g) => row(g).map(csvCell).join(','))].join('\r\n') + '\r\n';
}
