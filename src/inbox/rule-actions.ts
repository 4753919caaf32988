// What a moderation rule asks of the inbox: add a label, hand the conversation to a team, reply
// with a canned response. The rule is the actor, as in the moderation log. A rule's reply goes
// the same way as a person's (recorded as the team's item, sent through the outbox), so it shows
// in the conversation and a failed send can be retried. What cannot be done (no such team or
// canned response, a variable that cannot be filled, a reply too long for the platform) is
// recorded on the item as an event with the reason instead of failing the pipeline.
import type { Db } from '../store/db.js';
import { changeConversations, type Actor } from './state.js';
import { sendReply } from './replies.js';
import { renderCanned } from './canned.js';
import { HttpError } from '../http/errors.js';

export interface RuleAction { itemId: number; type: 'label' | 'assign' | 'reply'; value: string | null; rule: string }

export async function applyRuleActions(tx: Db, workspaceId: string, actions: RuleAction[]): Promise<void> {
  if (!actions.length) return;
  const items = new Map((await tx.query<{ id: number; conversation_id: number | null; language: string | null }>(
    `select id, conversation_id, language from items where workspace_id = $1 and id = any($2::bigint[])`,
    [workspaceId, actions.map((a) => a.itemId)])).map((r) => [Number(r.id), r]));
  for (const a of actions) {
    const item = items.get(a.itemId);
    const actor: Actor & { userId: null } = { userId: null, name: a.rule, kind: 'rule' };
    const problem = !item?.conversation_id ? 'the item belongs to no conversation'
      : !a.value ? `${a.type} needs a name`
      : await apply(tx, workspaceId, actor, a, item.conversation_id, item.language);
    if (problem) {
      await tx.query(`insert into events (workspace_id, item_id, actor, type, data) values ($1, $2, $3, 'rule.action_not_done', $4)`,
        [workspaceId, a.itemId, `rule:${a.rule}`, JSON.stringify({ action: a.type, value: a.value, reason: problem })]);
    }
  }
}

/** Carries out one action; returns why it could not be done, or null. */
async function apply(tx: Db, ws: string, actor: Actor & { userId: null }, a: RuleAction, conversationId: number, language: string | null): Promise<string | null> {
  const name = a.value!;
  if (a.type === 'label') {
    if (name.length > 60) return 'a label has at most 60 characters';
    await tx.query(`insert into labels (workspace_id, name) values ($1, $2) on conflict do nothing`, [ws, name]);
    await changeConversations(tx, ws, actor, [conversationId], { kind: 'labels', add: [name] }, `rule ${a.rule}`);
    return null;
  }
  if (a.type === 'assign') {
    const [team] = await tx.query<{ id: string }>(`select id from teams where workspace_id = $1 and lower(name) = lower($2)`, [ws, name]);
    if (!team) return `no team named "${name}"`;
    await changeConversations(tx, ws, actor, [conversationId], { kind: 'assignment', teamId: team.id }, `rule ${a.rule}`);
    return null;
  }
  // The canned response in the item's language first, then the one for every language.
  const [canned] = await tx.query<{ id: string }>(
    `select id from canned_responses where workspace_id = $1 and lower(name) = lower($2) and language in ($3, 'any')
     order by (language = $3) desc limit 1`, [ws, name, language ?? 'any']);
  if (!canned) return `no canned response named "${name}" for language ${language ?? 'unknown'} or for every language`;
  const [workspace] = await tx.query<{ name: string }>(`select name from workspaces where id = $1`, [ws]);
  const filled = await renderCanned(tx, ws, canned.id, conversationId, workspace?.name ?? 'Team');
  if (!filled) return `canned response "${name}" could not be read`;
  if (filled.unknown.length) return `canned response "${name}" uses variables that cannot be filled: ${filled.unknown.join(', ')}`;
  try {
    // An automatic answer does not settle the conversation: its status stays as it was.
    await sendReply(tx, ws, actor, conversationId, { text: filled.text, replyTo: a.itemId, status: null });
    return null;
  } catch (e) {
    // Only the checks before anything is written are a reason to skip; a database error aborts the run.
    if (e instanceof HttpError) return e.message;
    throw e;
  }
}
