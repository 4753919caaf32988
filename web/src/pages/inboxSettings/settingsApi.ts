// The set-up part of the inbox and SLA API, as the settings page uses it.
import { ApiError, request } from '../../api.js';
import { fieldIssues, fieldIssueText } from '../../errors.js';
import type { Messages } from '../../i18n.js';

export type AutoAssign = 'off' | 'round_robin' | 'load_balanced';
export const AUTO_ASSIGN: AutoAssign[] = ['off', 'round_robin', 'load_balanced'];
export interface Team { id: string; name: string; autoAssign: AutoAssign; platforms: string[]; members: { id: string; name: string; available: boolean }[] }
export interface TeamInput { name: string; autoAssign: AutoAssign; platforms: string[]; members: string[] }
export interface Person { id: string; name: string; role: string }
export interface Canned { id: string; name: string; language: string; body: string }
export interface Label { name: string; color: string }
export interface Span { start: string; end: string }
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export interface Calendar { timeZone: string; hours: Record<string, Span[]>; holidays: { date: string; name: string }[] }
export interface Policy {
  name: string; platforms: string[]; labels: string[]; priorities: number[];
  firstResponseMinutes: number | null; nextResponseMinutes: number | null; resolutionMinutes: number | null; businessHours: boolean;
}
/** The variables a canned response may use: the same list as src/inbox/canned.ts fills. */
export const VARIABLES = ['name', 'handle', 'platform', 'connection', 'agent', 'date'] as const;

export const settingsApi = (workspace: string) => ({
  people: (signal?: AbortSignal) => request<{ people: Person[] }>('GET', '/inbox/people', { workspace, signal }),
  teams: (signal?: AbortSignal) => request<{ teams: Team[] }>('GET', '/inbox/teams', { workspace, signal }),
  saveTeam: (id: string | null, body: TeamInput) =>
    request<{ id: string }>(id ? 'PUT' : 'POST', id ? `/inbox/teams/${id}` : '/inbox/teams', { workspace, body }),
  availability: (teamId: string, userId: string, available: boolean) =>
    request<{ ok: true }>('PUT', `/inbox/teams/${teamId}/members/${userId}/availability`, { workspace, body: { available } }),
  canned: (signal?: AbortSignal) => request<{ canned: Canned[] }>('GET', '/inbox/canned?limit=100', { workspace, signal }),
  saveCanned: (id: string | null, body: Omit<Canned, 'id'>) =>
    request<Canned>(id ? 'PUT' : 'POST', id ? `/inbox/canned/${id}` : '/inbox/canned', { workspace, body }),
  deleteCanned: (id: string) => request<{ ok: true }>('DELETE', `/inbox/canned/${id}`, { workspace }),
  labels: (signal?: AbortSignal) => request<{ labels: Label[] }>('GET', '/inbox/labels', { workspace, signal }),
  saveLabel: (body: Label) => request<{ ok: true }>('POST', '/inbox/labels', { workspace, body }),
  deleteLabel: (name: string) => request<{ conversations: number }>('DELETE', `/inbox/labels/${encodeURIComponent(name)}`, { workspace }),
  deleteTeam: (id: string) => request<{ conversations: number }>('DELETE', `/inbox/teams/${id}`, { workspace }),
  calendar: (signal?: AbortSignal) => request<Calendar>('GET', '/sla/calendar', { workspace, signal }),
  saveCalendar: (body: Calendar) => request<Calendar>('PUT', '/sla/calendar', { workspace, body }),
  policies: (signal?: AbortSignal) => request<{ policies: Policy[] }>('GET', '/sla/policies', { workspace, signal }),
  savePolicies: (policies: Policy[]) => request<{ policies: Policy[] }>('PUT', '/sla/policies', { workspace, body: { policies } }),
});

/**
 * The server's complaints per field ("members", "hours.mon.0.start" …): from a validation error's
 * details.fields, from an "field: message" error text, and a name clash (409) on "name".
 */
export function fieldErrors(err: unknown, t: Messages): Record<string, string> | null {
  if (!(err instanceof ApiError)) return null;
  if (err.status === 409) return { name: err.message };
  if (err.code !== 'invalid_input') return null;
  const issues = fieldIssues(err);
  const out: Record<string, string> = {};
  if (issues.length) for (const f of issues) out[f.field] ??= fieldIssueText(f, t);
  else {
    const m = /^([\w.]+): (.*)$/s.exec(err.message);
    if (m) out[m[1]] = m[2];
  }
  return Object.keys(out).length ? out : null;
}

/** The first complaint about a field or anything under it ("hours.mon" covers "hours.mon.0.start"). */
export function errorFor(errors: Record<string, string> | null, field: string): string | undefined {
  if (!errors) return undefined;
  const key = Object.keys(errors).find((k) => k === field || k.startsWith(field + '.'));
  return key === undefined ? undefined : errors[key];
}
