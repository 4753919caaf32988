// The SLA part of the API: conversation clocks, breach alerts, "needs an answer" and the inbox figures.
import { download, request } from './api.js';
// The figures' shape is the server's own (type-only: nothing of the server is bundled).
import type { GroupBy, Metrics } from '../../src/sla/metrics.js';
export type { TimeFigures, Figures, Metrics, GroupBy } from '../../src/sla/metrics.js';

export type DueKind = 'first_response' | 'next_response' | 'resolution';

export interface ConversationSla {
  now: string;
  policy: { id: string; name: string; businessHours: boolean } | null;
  due: { kind: DueKind; at: string; breached: boolean; secondsLeft: number }[];
  alerts: { id: number; kind: DueKind; dueAt: string; breachedAt: string }[];
}

export interface SlaAlert {
  id: number;
  conversationId: number;
  kind: DueKind;
  dueAt: string;
  breachedAt: string;
  policy: string | null;
  platform: string;
  seen: boolean;
}

export interface NeedsAnswer {
  itemId: number;
  needsAnswer: boolean | null;
  detected: { needsAnswer: boolean | null; score: number; reason: string; matched: string | null; source: string } | null;
  correction: { needsAnswer: boolean; by: string | null; at: string } | null;
}

export const GROUP_BYS: GroupBy[] = ['none', 'platform', 'team', 'person', 'day', 'week', 'month'];

export interface MetricsQuery { from: string; to: string; groupBy: GroupBy; platform?: string }

const metricsPath = (q: MetricsQuery, format: 'json' | 'csv') => {
  const p = new URLSearchParams({ from: q.from, to: q.to, groupBy: q.groupBy, format });
  if (q.platform) p.set('platform', q.platform);
  return `/metrics/inbox?${p}`;
};

export interface DueSummary { id: number; dueAt: string | null; dueKind: DueKind | null; policy: string | null; current: boolean }

export const sla = {
  due: (workspace: string, ids: number[], signal?: AbortSignal) =>
    request<{ now: string; conversations: DueSummary[] }>('GET', `/sla/due?ids=${ids.join(',')}`, { workspace, signal }),
  conversation: (workspace: string, id: number | string, signal?: AbortSignal) =>
    request<ConversationSla>('GET', `/sla/conversations/${id}`, { workspace, signal }),
  alerts: (workspace: string, signal?: AbortSignal) => request<{ now: string; unseen: number; alerts: SlaAlert[] }>('GET', '/sla/alerts', { workspace, signal }),
  markSeen: (workspace: string, ids: number[]) => request<{ ok: true }>('POST', '/sla/alerts/seen', { workspace, body: { ids } }),
  needsAnswer: (workspace: string, itemId: number | string, signal?: AbortSignal) =>
    request<NeedsAnswer>('GET', `/items/${itemId}/needs-answer`, { workspace, signal }),
  correctNeedsAnswer: (workspace: string, itemId: number | string, needsAnswer: boolean | null) =>
    request<NeedsAnswer>('PUT', `/items/${itemId}/needs-answer`, { workspace, body: { needsAnswer } }),
  metrics: (workspace: string, q: MetricsQuery, signal?: AbortSignal) => request<Metrics>('GET', metricsPath(q, 'json'), { workspace, signal }),
  metricsCsv: (workspace: string, q: MetricsQuery) => download(metricsPath(q, 'csv'), { workspace }),
};
