// The moderation part of the API: review queue and decisions, rules, audit log and figures.
// Everything in here that came from a platform or a person (texts, names, reasons) is user content.
import { API_BASE, download, request } from './api.js';

/** Item ids are numbers from the database; some drivers hand big integers over as strings. */
export type ItemId = number | string;
export type ModerationState = 'visible' | 'held' | 'hidden' | 'deleted';
export type Decision = 'approve' | 'hide' | 'delete' | 'hold' | 'restore';
export type ActorKind = 'person' | 'rule' | 'model';

export const MODERATION_STATES: ModerationState[] = ['visible', 'held', 'hidden', 'deleted'];
export const ACTOR_KINDS: ActorKind[] = ['person', 'rule', 'model'];

/** A word-list hit; start/end are offsets into the item's text. */
export interface WordEvidence {
  list: string;
  category: string;
  term: string;
  matched: string;
  start: number;
  end: number;
}

export interface Signal {
  kind: 'words' | 'classifier';
  label: string;
  score: number;
  source: string;
  evidence: unknown;
}

export interface QueueItem {
  id: ItemId;
  platform: string;
  kind: string;
  author: { handle: string | null; displayName: string | null };
  text: string;
  language: string | null;
  createdAt: string;
  permalink: string | null;
  reason: string | null;
  heldBy: string | null;
  harmful: boolean;
  signals: Signal[];
}

export interface Queue {
  revealToxic: boolean;
  seenToday: number;
  /** For trainees: whether today's cap of harmful items is reached (take a break). */
  training?: { breakPrompt: boolean; harmfulVisible: boolean } | null;
  items: QueueItem[];
}

export interface DecisionResult {
  changed: boolean;
  moderation: ModerationState;
  platformAction: { type: string; state: string } | null;
  /** A trainee's decision that needs a mentor's approval first. */
  draft?: { draftId: number } | null;
}

/** A rule error; line and column count from 1 (UTF-16 code units, as in the textarea). */
export interface RuleError {
  line: number;
  column: number;
  message: string;
  /** The same message in German, when the server sends it. */
  messageDe?: string;
  /** Characters to mark from the column on. */
  length?: number;
  code?: string;
}

export interface RulesDoc {
  source: string;
  version: number;
  errors: RuleError[];
}

export interface RuleMatch {
  itemId: ItemId;
  rule: string;
  actions: { action: string; value?: string }[];
  reason: string | null;
  text: string;
}

export interface RulesTest {
  tested: number;
  perRule: Record<string, number>;
  matched: RuleMatch[];
}

export interface AuditEvent {
  id: ItemId;
  at: string;
  itemId: ItemId;
  actorKind: ActorKind;
  actor: string | null;
  before: ModerationState | null;
  after: ModerationState | null;
  reason: string | null;
  tool: string | null;
  platform: string | null;
  platformId: string | null;
  excerpt: string | null;
}

export interface AuditFilter {
  actorKind?: ActorKind;
  actor?: string;
  after?: ModerationState;
  /** ISO date-times with offset. */
  from?: string;
  to?: string;
  limit?: number;
}

export interface Figures {
  days: number;
  definitions: { volume?: string; overturned?: string; medianSeconds?: string };
  actors: { kind: ActorKind; actor: string | null; volume: number; overturned: number | null; medianSeconds: number | null }[];
}

export interface Metrics {
  classes: string[];
  /** matrix[true][predicted] */
  matrix: number[][];
  perClass: { label: string; precision: number; recall: number; f1: number; support: number; predicted: number }[];
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  accuracy: number;
  total: number;
}

export interface LabelSupport { label: string; examples: number; needed: number; enough: boolean; note: string }

export interface ModelInfo {
  language: string;
  id: string;
  source: 'workspace' | 'starter';
  createdAt: string;
  heldOut: Record<string, unknown> | null;
  meta: { labels?: string[]; untrained?: { label: string; reason: string }[] };
}

export interface EvaluationDoc {
  models: ModelInfo[];
  decisions: number;
  minDecisionsToRetrain: number;
  labels: LabelSupport[];
  evaluation: Metrics | null;
  report: string | null;
}

export interface RetrainOutcome {
  language: string;
  decisions: number;
  adopted: boolean;
  reason: string;
  /** Why, as a code with figures (older servers leave it out; then only the English reason). */
  reasonCode?: string;
  reasonParams?: Record<string, number>;
  comparison?: { heldBack: number; candidateMacroF1: number; currentMacroF1: number };
  needed?: number;
  labels: LabelSupport[];
}

export interface WordListInfo { name: string; source: string; updatedAt: string; entries: number; allowed: number }
export interface WordListProblem {
  line: number | null; entry: number | null; term: string | null; message: string;
  /** The same message in German and a stable code (older servers leave them out). */
  messageDe?: string; code?: string;
}

export interface Wellbeing { days: number; people: { userId: string; name: string; day: string; items: number }[] }

export interface RulesCheck { ok: boolean; rules: number; errors: RuleError[]; warnings: RuleError[] }

export const QUEUE_LIMIT = 50;

function auditQuery(filter: AuditFilter, format?: 'csv'): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') query.set(key, String(value));
  }
  if (format) query.set('format', format);
  return `/moderation/audit?${query.toString()}`;
}

export const moderation = {
  queue: (workspace: string, signal?: AbortSignal) =>
    request<Queue>('GET', `/moderation/queue?limit=${QUEUE_LIMIT}`, { workspace, signal }),
  decide: (workspace: string, id: ItemId, decision: Decision, reason?: string, category?: string) =>
    request<DecisionResult>('POST', `/moderation/items/${encodeURIComponent(String(id))}/decision`, {
      workspace,
      body: { decision, ...(reason ? { reason } : {}), ...(category ? { category } : {}) },
    }),

  rules: (workspace: string, signal?: AbortSignal) => request<RulesDoc>('GET', '/moderation/rules', { workspace, signal }),
  saveRules: (workspace: string, source: string) =>
    request<{ version: number; rules: number }>('PUT', '/moderation/rules', { workspace, body: { source } }),
  testRules: (workspace: string, source: string, days: number) =>
    request<RulesTest>('POST', '/moderation/rules/test', { workspace, body: { source, days } }),

  checkRules: (workspace: string, source: string) =>
    request<RulesCheck>('POST', '/moderation/rules/check', { workspace, body: { source } }),

  evaluation: (workspace: string, signal?: AbortSignal) => request<EvaluationDoc>('GET', '/moderation/evaluation', { workspace, signal }),
  evaluateData: (workspace: string, data: string, format: 'tsv' | 'csv' | 'ndjson', name: string) =>
    request<{ rows: number; models: string[]; evaluation: Metrics; report: string }>('POST', '/moderation/evaluate', { workspace, body: { data, format, name } }),
  retrain: (workspace: string) => request<{ outcomes: RetrainOutcome[] }>('POST', '/moderation/train', { workspace }),

  wordLists: (workspace: string, signal?: AbortSignal) =>
    request<{ maxChars: number; lists: WordListInfo[] }>('GET', '/moderation/word-lists', { workspace, signal }),
  saveWordList: (workspace: string, name: string, source: string) =>
    request<{ ok: true; entries: number; allowed: number; warnings: string[]; warningDetails?: WordListProblem[] }>('PUT', `/moderation/word-lists/${encodeURIComponent(name)}`, { workspace, body: { source } }),
  deleteWordList: (workspace: string, name: string) =>
    request<{ ok: true }>('DELETE', `/moderation/word-lists/${encodeURIComponent(name)}`, { workspace }),

  wellbeing: (workspace: string, days: number, signal?: AbortSignal) =>
    request<Wellbeing>('GET', `/moderation/wellbeing?days=${days}`, { workspace, signal }),

  audit: (workspace: string, filter: AuditFilter, signal?: AbortSignal) =>
    request<{ events: AuditEvent[] }>('GET', auditQuery(filter), { workspace, signal }),
  /** The CSV's address, for the link's href; the download itself goes through auditCsv (it needs the header). */
  auditCsvUrl: (filter: AuditFilter) => API_BASE + auditQuery(filter, 'csv'),
  auditCsv: (workspace: string, filter: AuditFilter) => download(auditQuery(filter, 'csv'), { workspace }),
  figures: (workspace: string, days: number, signal?: AbortSignal) =>
    request<Figures>('GET', `/moderation/figures?days=${days}`, { workspace, signal }),
};
