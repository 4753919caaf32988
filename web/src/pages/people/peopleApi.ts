// The people part of the API (/api/v1/people…). Names, handles, texts and notes are user content.
import { download, request } from '../../api.js';

export type Level = 'observer' | 'participant' | 'contributor' | 'leader';
export const LEVELS: Level[] = ['observer', 'participant', 'contributor', 'leader'];

export interface PersonRow {
  person_id: number; displayName: string | null; level: Level; platforms: string[]; handles: string[]; tags: string[];
  items_total: number; items_90: number; reach_90: number; first_item_at: string | null; last_item_at: string | null; last_team_at: string | null;
}
export interface KeepRow {
  reason: 'quiet' | 'dropped' | 'newcomer'; personId: number; displayName: string | null; level: Level; segment: string | null;
  lastItemAt: string | null; lastTeamAt: string | null; conversationId: number | null; detail: Record<string, any>;
}
export interface Evidence { kind: string; detail: string }
export interface LinkIdentity { id: number; personId: number; platform: string; handle: string | null; displayName: string | null }
export interface Suggestion { id: number; score: number; evidence: Evidence[]; a: LinkIdentity; b: LinkIdentity }
export interface Filter { tags?: string[]; platform?: string; level?: Level; q?: string }
export interface Segment { id: string; name: string; filters: Filter; quiet_days: number }
export const SORTS = ['last', 'name', 'items', 'reach', 'team'] as const;
export type Sort = (typeof SORTS)[number];
/** People per page of the list. */
export const PAGE = 50;

export interface PersonPage {
  person: { id: number; displayName: string | null; firstSeenAt: string | null; tags: string[]; fields: Record<string, string>; erasedAt: string | null };
  identities: { id: number; platform: string; handle: string | null; displayName: string | null; profileUrl: string | null; email: string | null; emailVerified: boolean; firstSeenAt: string }[];
  timeline: { kind: 'item' | 'reply' | 'moderation' | 'note'; id: number; at: string; platform: string | null; text: string | null; permalink: string | null; conversationId: number | null; moderation: string | null; actor: string | null }[];
  merges: { id: number; at: string; actor: string; fromPerson: number; evidence: Evidence[] | null; identities: number; split: boolean }[];
  summary: {
    items: number; perMonth: number; answered: number; answeredShare: number | null; medianAnswerSeconds: number | null;
    reciprocity: number | null; repliesToMembers: number; tone: { month: string; hostility: number | null; sentiment: number; positive: number; negative: number; items: number }[];
    firstSeenAt: string | null; lastItemAt: string | null; lastTeamAt: string | null; level: Level; items90: number; reach90: number;
  };
}

export function listQuery(f: Filter, segment: string | null, format?: 'csv', page?: { sort: Sort; offset: number }): string {
  const q = new URLSearchParams();
  if (page) { q.set('sort', page.sort); q.set('limit', String(PAGE)); q.set('offset', String(page.offset)); }
  if (segment) q.set('segment', segment);
  else {
    if (f.q) q.set('q', f.q);
    if (f.level) q.set('level', f.level);
    if (f.platform) q.set('platform', f.platform);
    if (f.tags?.[0]) q.set('tag', f.tags[0]);
  }
  if (format) q.set('format', format);
  return q.toString();
}

export const peopleApi = (workspace: string) => ({
  list: (f: Filter, segment: string | null, page: { sort: Sort; offset: number }, signal?: AbortSignal) =>
    request<{ people: PersonRow[]; total: number }>('GET', `/people?${listQuery(f, segment, undefined, page)}`, { workspace, signal }),
  csv: (f: Filter, segment: string | null) => download(`/people?${listQuery(f, segment, 'csv')}`, { workspace }),
  keepInTouch: (signal?: AbortSignal) => request<{ rows: KeepRow[] }>('GET', '/people/keep-in-touch', { workspace, signal }),
  segments: (signal?: AbortSignal) => request<{ segments: Segment[] }>('GET', '/people/segments', { workspace, signal }),
  saveSegment: (name: string, filters: Filter, quietDays: number) => request<Segment>('POST', '/people/segments', { workspace, body: { name, filters, quietDays } }),
  suggestions: (signal?: AbortSignal) => request<{ links: Suggestion[] }>('GET', '/people/links', { workspace, signal }),
  decide: (id: number, decision: 'merge' | 'dismiss') => request<{ personId: number }>('POST', `/people/links/${id}/${decision}`, { workspace, body: {} }),
  runLinking: () => request<{ merged: number; weak: number }>('POST', '/people/links/run', { workspace, body: {} }),
  get: (id: number, signal?: AbortSignal) => request<PersonPage>('GET', `/people/${id}`, { workspace, signal }),
  update: (id: number, body: { tags?: string[]; fields?: Record<string, string> }) => request<unknown>('PATCH', `/people/${id}`, { workspace, body }),
  note: (id: number, text: string) => request<{ id: number }>('POST', `/people/${id}/notes`, { workspace, body: { text } }),
  merge: (into: number, from: number) => request<{ personId: number }>('POST', '/people/merge', { workspace, body: { into, from } }),
  split: (mergeId: number) => request<{ personId: number }>('POST', `/people/merges/${mergeId}/split`, { workspace, body: {} }),
  exportJson: (id: number) => download(`/people/${id}/export`, { workspace }),
  retention: (signal?: AbortSignal) => request<{ rawRetentionDays: number | null }>('GET', '/people-privacy', { workspace, signal }),
  setRetention: (rawRetentionDays: number | null) => request<{ rawRetentionDays: number | null }>('PUT', '/people-privacy', { workspace, body: { rawRetentionDays } }),
  erase: (id: number) => request<{ items: number }>('POST', `/people/${id}/erase`, { workspace, body: { confirm: true } }),
});

/** Offers a downloaded file to the browser. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
