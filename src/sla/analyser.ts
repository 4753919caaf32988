// The analyse stage's "needs an answer" signal: one per item, with its reason (rule or model),
// the words that decided it and the detector's version. Outbound items get one too (the stage
// does not know the direction yet, and a signal is cheaper than a query); figures read inbound only.
import type { Analyser, SignalRow } from '../pipeline/stages.js';
import { classifyNeedsAnswer, needsAnswerModel } from './needs-answer-model.js';

export const NEEDS_ANSWER_RULES_VERSION = 1;

export function needsAnswerAnalyser(): Analyser {
  return {
    async analyse(db, items) {
      const models = new Map<string, Awaited<ReturnType<typeof needsAnswerModel>>>();
      for (const ws of new Set(items.map((i) => i.workspace_id))) models.set(ws, await needsAnswerModel(db, ws));
      return items.map((it): SignalRow => {
        const model = models.get(it.workspace_id) ?? null;
        const v = classifyNeedsAnswer(model, it.normalised, it.folded);
        const byModel = v.reason === 'model';
        return {
          item_id: it.id, workspace_id: it.workspace_id, kind: 'needs_answer', label: v.label, score: v.score,
          evidence: { reason: v.reason, matched: v.matched, rule: byModel ? { label: v.rule.label, reason: v.rule.reason, matched: v.rule.matched } : undefined, modelScore: v.modelScore },
          source: byModel && model ? `needs-answer:model@${model.meta.version}` : `needs-answer:rules@${NEEDS_ANSWER_RULES_VERSION}`,
        };
      });
    },
  };
}
