// Moderation in the pipeline. Analyse: word lists and the learned model write signals (with the
// words found and the model version). Decide: the workspace's rules read those signals and the
// author's history, and their verdicts change the moderation state through the event log.
import type { Db } from '../store/db.js';
import type { Analyser, Decider, SignalRow } from '../pipeline/stages.js';
import type { RuleInput, WordHit, Label } from './types.js';
import { workspaceLists } from './lists.js';
import { matchNormalised } from './wordlists/matcher.js';
import { workspaceClassifier, starters } from './learning.js';
import { loadShippedLists } from './wordlists/shipped.js';
import { workspaceRules } from './rulesets.js';
import { evaluateRules } from './rules/evaluate.js';
import { changeModeration, type ModerationState, type Change } from './state.js';
import { applyRuleActions, type RuleAction } from '../inbox/rule-actions.js';
import { misinfoFacts } from '../misinfo/facts.js';

export interface Moderation { analyser: Analyser; decider: Decider }

/** Rule actions that change the moderation state, and the state they lead to. */
const STATE_OF: Record<string, ModerationState> = { hold: 'held', hide: 'hidden', delete: 'deleted' };
const SEVERITY: ModerationState[] = ['visible', 'held', 'hidden', 'deleted'];

export async function createModeration(): Promise<Moderation> {
  // Read the shipped lists and models now, so the first item does not wait for them.
  loadShippedLists();
  await starters();
  const analyser: Analyser = {
    async analyse(db, items) {
      const out: SignalRow[] = [];
      for (const it of items) {
        const lists = await workspaceLists(db, it.workspace_id);
        const hits = matchNormalised(lists, it.normalised, { folded: it.folded });
        for (const h of hits) {
          out.push({ item_id: it.id, workspace_id: it.workspace_id, kind: 'words', label: h.category, score: 1, source: `wordlist:${h.list}`, evidence: h });
        }
        const clf = await workspaceClassifier(db, it.workspace_id);
        const scores = clf.classify(it.folded, it.language);
        for (const [label, score] of Object.entries(scores.scores)) {
          out.push({ item_id: it.id, workspace_id: it.workspace_id, kind: 'classifier', label, score: score as number, source: `model:${scores.model}`, evidence: { model: scores.model } });
        }
      }
      return out;
    },
  };

  const decider: Decider = {
    async decide(tx, items) {
      const inputs = await ruleInputs(tx, items.map((i) => i.id));
      const byWorkspace = new Map<string, { id: number; input: RuleInput }[]>();
      for (const it of items) {
        const input = inputs.get(it.id);
        if (!input) continue;
        if (!byWorkspace.has(it.workspace_id)) byWorkspace.set(it.workspace_id, []);
        byWorkspace.get(it.workspace_id)!.push({ id: it.id, input });
      }
      for (const [ws, list] of byWorkspace) {
        const rules = await workspaceRules(tx, ws);
        const changes = new Map<string, Change[]>();
        const otherActions: { item_id: number; type: string; payload: { value: string | null; rule: string; reason: string } }[] = [];
        for (const { id, input } of list) {
          const verdicts = evaluateRules(rules, input);
          // The strongest state change wins; the rule that asked for it is its actor.
          let best: { state: ModerationState; rule: string; reason: string; evidence: unknown } | null = null;
          for (const v of verdicts) {
            for (const a of v.actions) {
              const state = STATE_OF[a.action];
              if (state && (!best || SEVERITY.indexOf(state) > SEVERITY.indexOf(best.state))) best = { state, rule: v.rule, reason: v.reason, evidence: v.evidence };
              if (!state) otherActions.push({ item_id: id, type: a.action, payload: { value: a.value ?? null, rule: v.rule, reason: v.reason } });
            }
          }
          if (best) {
            if (!changes.has(best.rule)) changes.set(best.rule, []);
            changes.get(best.rule)!.push({ itemId: id, to: best.state, reason: best.reason, evidence: best.evidence });
          }
        }
        for (const [rule, list] of changes) await changeModeration(tx, ws, { kind: 'rule', name: rule }, list, 'rules');
        if (otherActions.length) {
          // Every rule action is in the log; ban and mute go to the platform through the outbox;
          // label, assign and reply act on the item's conversation in the inbox; notify stays a log entry.
          await tx.query(
            `with a as (select * from jsonb_to_recordset($2::jsonb) as a(item_id bigint, type text, payload jsonb)),
             e as (insert into events (workspace_id, item_id, actor, type, data)
                   select $1, a.item_id, 'rule:' || (a.payload->>'rule'), 'rule.' || a.type, a.payload from a)
             insert into actions (workspace_id, item_id, connection_id, type, payload)
             select $1, a.item_id, i.connection_id, a.type, a.payload from a join items i on i.id = a.item_id
             where a.type in ('ban', 'mute')`,
            [ws, JSON.stringify(otherActions)]);
          await applyRuleActions(tx, ws, otherActions.filter((a) => a.type === 'label' || a.type === 'assign' || a.type === 'reply')
            .map((a) => ({ itemId: a.item_id, type: a.type as RuleAction['type'], value: a.payload.value, rule: a.payload.rule })));
        }
      }
    },
  };
  return { analyser, decider };
}

/** What the rules see about items: text, signals, and the author's history in this workspace. */
export async function ruleInputs(db: Db, ids: number[]): Promise<Map<number, RuleInput>> {
  const rows = await db.query<any>(
    `select i.id, i.workspace_id, coalesce(i.text_normalised, i.text) as text, coalesce(i.text_folded, lower(i.text)) as folded,
       i.language, i.platform, c.name as connection, i.kind, i.links, i.author_handle,
       coalesce((select jsonb_agg(jsonb_build_object('kind', s.kind, 'label', s.label, 'score', s.score, 'evidence', s.evidence))
                 from signals s where s.item_id = i.id and s.kind in ('words', 'classifier', 'claim', 'domain', 'campaign', 'link_wave', 'newcomer_burst')), '[]') as signals,
       (select count(*)::int from items p where p.workspace_id = i.workspace_id and p.author_platform_id = i.author_platform_id
          and p.id <> i.id and p.moderation in ('hidden', 'deleted')) as removals,
       exists (select 1 from items p where p.workspace_id = i.workspace_id and p.author_platform_id = i.author_platform_id
          and p.id < i.id) as known
     from items i join connections c on c.id = i.connection_id
     where i.id = any($1::bigint[])`, [ids]);
  const out = new Map<number, RuleInput>();
  for (const r of rows) {
    const words: WordHit[] = [];
    const scores: Partial<Record<Label, number>> = {};
    const misinfo = misinfoFacts(r.signals);
    for (const s of r.signals) {
      if (s.kind === 'words') words.push(s.evidence);
      else if (s.kind === 'classifier') scores[s.label as Label] = Math.max(scores[s.label as Label] ?? 0, s.score);
    }
    const links: string[] = r.links ?? [];
    out.set(r.id, {
      text: r.text, folded: r.folded, language: r.language, platform: r.platform, connection: r.connection, kind: r.kind,
      links, domains: [...new Set(links.map(hostOf).filter((h): h is string => !!h))], words, scores, misinfo,
      // Account age and trust come with the people capability; until then they are unknown.
      author: { handle: r.author_handle, accountAgeDays: null, removals: r.removals, trusted: false, known: r.known },
    });
  }
  return out;
}

function hostOf(url: string): string | null {
  try { return new URL(url).hostname.replace(/^www\./, ''); } catch { return null; }
}
