// The due times of one conversation under its policy — pure, from the times part A keeps on
// every conversation:
//   first response  – the first inbound item + the first-response target, while the team has
//                     not answered since the first inbound item;
//   next response   – the oldest unanswered inbound item after the team's last answer
//                     (awaiting_since) + the next-response target;
//   resolution      – the first inbound item + the resolution target, until the conversation is done.
// Targets count business hours or wall-clock time, as the policy says.
import { dueAfter, type BusinessCalendar } from './calendar.js';
import type { Policy } from './policies.js';

export type DueKind = 'first_response' | 'next_response' | 'resolution';
export interface Due { kind: DueKind; at: Date }

export interface ConversationTimes {
  status: string;
  first_inbound_at: Date | null;
  last_outbound_at: Date | null;
  awaiting_since: Date | null;
}

const MINUTE = 60_000;

export function dueTimes(policy: Policy | null, calendar: BusinessCalendar, c: ConversationTimes): Due[] {
  if (!policy || c.status === 'done' || !c.first_inbound_at) return [];
  const cal = policy.businessHours ? calendar : null;
  const out: Due[] = [];
  const answered = c.last_outbound_at != null && +c.last_outbound_at >= +c.first_inbound_at;
  if (c.awaiting_since) {
    const [kind, from, minutes] = answered
      ? ['next_response' as const, c.awaiting_since, policy.nextResponseMinutes]
      : ['first_response' as const, c.first_inbound_at, policy.firstResponseMinutes];
    const at = minutes ? dueAfter(cal, from, minutes * MINUTE) : null;
    if (at) out.push({ kind, at });
  }
  if (policy.resolutionMinutes) {
    const at = dueAfter(cal, c.first_inbound_at, policy.resolutionMinutes * MINUTE);
    if (at) out.push({ kind: 'resolution', at });
  }
  return out.sort((a, b) => +a.at - +b.at);
}
