// The commons part of the API: community figures and the interaction graph of a period.
import { request } from './api.js';
// The shapes are the server's own (type-only: nothing of the server is bundled).
import type { Figures, GraphView } from '../../src/commons/analysis.js';
export type { Figures, GraphView, Cluster, Connector, PersonRef } from '../../src/commons/analysis.js';

export interface PeriodQuery { from: string; to: string; platform?: string }

const query = (q: PeriodQuery) => {
  const p = new URLSearchParams({ from: q.from, to: q.to });
  if (q.platform) p.set('platforms', q.platform);
  return p.toString();
};

export const commons = {
  figures: (workspace: string, q: PeriodQuery, signal?: AbortSignal) => request<Figures>('GET', `/commons/figures?${query(q)}`, { workspace, signal }),
  graph: (workspace: string, q: PeriodQuery, signal?: AbortSignal) => request<GraphView>('GET', `/commons/graph?${query(q)}`, { workspace, signal }),
};
