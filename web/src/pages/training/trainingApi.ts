// The training part of the API. Texts, names, feedback and guidelines are user content: text only.
import { request } from '../../api.js';

export interface Segment { op: 'same' | 'added' | 'removed'; text: string }
export interface Draft {
  id: number; kind: 'reply' | 'decision'; action: string; state: 'pending' | 'approved' | 'returned'; createdAt: string;
  author: { userId: string; name: string }; conversationId: number | null; itemId: number | null; context: string | null; platform: string | null;
  text: string | null; decision: string | null; category: string | null; reason: string | null; slaDueAt: string | null; slaDueKind: string | null;
  review: null | { reviewer: string | null; at: string | null; finalText: string | null; finalDecision: string | null; finalCategory: string | null; editSize: number | null; diff: Segment[] | null; comment: string | null; tags: string[]; section: string | null };
}
export interface Settings { policies: Record<string, string>; skills: string[]; autonomyThreshold: number; autonomyWindow: number; dailyExposureCap: number; actions: string[]; myModes: Record<string, string> | null }
export interface GuidelineDoc { slug: 'community' | 'style'; title: string; body: string; sections: { anchor: string; title: string; level: number }[]; updatedAt: string | null }
export interface PracticeCase { id: number; position: number; platform: string; text: string; replyExpected: boolean; answered: { decision: string; correct: boolean } | null }
export interface Scored { answerId: number; caseId: number; correct: boolean; reference: { decision: string; category: string; reason: string | null; reply: string | null; section: string | null } }
export interface RoundSummary { id: number; name: string; createdAt: string; items: number; rater: boolean; answeredByMe: number; fleissKappa: number | null; krippendorffAlpha: number | null }
export interface RoundResults {
  id: number; name: string; labels: string[]; items: number; fleissKappa: number | null; krippendorffAlpha: number | null;
  raters: { userId: string; name: string; answered: number }[];
  perCategory: { label: string; kappa: number | null; share: number }[];
  pairwise: { a: string; b: string; kappa: number | null; items: number }[];
  disagreements: { position: number; text: string; labels: { name: string; label: string }[] }[];
}
export interface Progress {
  userId: string; name: string;
  drafts: { total: number; pending: number; reviewed: number; approved: number; approvalRate: number | null; medianEditSize: number | null };
  feedbackThemes: { tag: string; count: number }[];
  practice: { perCategory: Record<string, { answers: number; correct: number; share: number }> };
  calibration: { roundId: number; name: string; fleissKappa: number | null; meanKappaWithOthers: number | null }[];
  exposure: { day: string; items: number }[];
  autonomy: { action: string; reviewed: number; agreement: number | null; granted: boolean; suggested: boolean }[];
  queue: { allowed: boolean; optedIn: boolean; seenToday: number; cap: number; breakPrompt: boolean };
}
export interface TraineeRow { userId: string; name: string; pending: number; reviewed: number; approvalRate: number | null; medianEditSize: number | null; topTheme: string | null; weakestCategory: { category: string; share: number } | null; exposureToday: number; suggestions: string[] }
export interface Member { id: string; name: string; role: string }
/** The rubric written practice replies are graded on (src/training/practice.ts RUBRIC). */
export const RUBRIC = ['tone', 'accuracy', 'policy', 'empathy'] as const;
export interface UngradedReply { id: number; trainee: string | null; case: string; reply: string; referenceReply: string | null; createdAt: string }

type O = { workspace: string; signal?: AbortSignal };
export const training = {
  settings: (o: O) => request<Settings>('GET', '/training/settings', o),
  saveSettings: (o: O, body: Partial<Settings>) => request<Settings>('PUT', '/training/settings', { ...o, body }),
  queue: (o: O) => request<{ drafts: Draft[] }>('GET', '/training/drafts/queue', o),
  mine: (o: O) => request<{ drafts: Draft[] }>('GET', '/training/drafts/mine', o),
  approve: (o: O, id: number, body: object) => request<unknown>('POST', `/training/drafts/${id}/approve`, { ...o, body }),
  giveBack: (o: O, id: number, body: object) => request<unknown>('POST', `/training/drafts/${id}/return`, { ...o, body }),
  reply: (o: O, conversationId: number, text: string) => request<{ draft?: { draftId: number }; itemId?: number }>('POST', `/inbox/conversations/${conversationId}/replies`, { ...o, body: { text } }),
  conversations: (o: O) => request<{ conversations: { id: number; platform: string; preview: { authorName: string | null; text: string | null } }[] }>('GET', '/inbox/conversations', o),
  guidelines: (o: O) => request<{ documents: GuidelineDoc[] }>('GET', '/training/guidelines', o),
  saveGuidelines: (o: O, slug: string, body: { title: string; body: string }) => request<GuidelineDoc>('PUT', `/training/guidelines/${slug}`, { ...o, body }),
  sets: (o: O) => request<{ sets: { id: number; name: string; createdAt: string; cases: number }[] }>('GET', '/training/practice/sets', o),
  set: (o: O, id: number) => request<{ id: number; name: string; cases: PracticeCase[] }>('GET', `/training/practice/sets/${id}`, o),
  buildSet: (o: O, body: { name: string; size: number }) => request<{ id: number }>('POST', '/training/practice/sets', { ...o, body }),
  ungraded: (o: O) => request<{ replies: UngradedReply[] }>('GET', '/training/practice/replies', o),
  grade: (o: O, answerId: number, body: Record<string, number>) => request<unknown>('POST', `/training/practice/answers/${answerId}/grade`, { ...o, body }),
  answer: (o: O, caseId: number, body: { decision: string; category?: string; reply?: string }) => request<Scored>('POST', `/training/practice/cases/${caseId}/answers`, { ...o, body }),
  rounds: (o: O) => request<{ rounds: RoundSummary[] }>('GET', '/training/calibration/rounds', o),
  roundItems: (o: O, id: number) => request<{ id: number; name: string; labels: string[]; items: { position: number; text: string; label: string | null }[] }>('GET', `/training/calibration/rounds/${id}/items`, o),
  label: (o: O, id: number, position: number, label: string) => request<unknown>('PUT', `/training/calibration/rounds/${id}/answers/${position}`, { ...o, body: { label } }),
  results: (o: O, id: number) => request<RoundResults>('GET', `/training/calibration/rounds/${id}/results`, o),
  newRound: (o: O, body: { name: string; raters: string[]; size: number }) => request<{ id: number }>('POST', '/training/calibration/rounds', { ...o, body }),
  trainees: (o: O) => request<{ trainees: TraineeRow[] }>('GET', '/training/trainees', o),
  progress: (o: O, userId: string) => request<Progress>('GET', `/training/trainees/${userId}/progress`, o),
  autonomy: (o: O, userId: string, action: string, granted: boolean) => request<unknown>('PUT', `/training/trainees/${userId}/autonomy`, { ...o, body: { action, granted } }),
  allowHarmful: (o: O, userId: string, allowed: boolean) => request<unknown>('PUT', `/training/trainees/${userId}/harmful-queue`, { ...o, body: { allowed } }),
  optIn: (o: O, optedIn: boolean) => request<unknown>('PUT', '/training/me/harmful-queue', { ...o, body: { optedIn } }),
  members: (o: O) => request<{ members: Member[] }>('GET', '/members', o),
};
