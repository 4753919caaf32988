// The review queue as the page works with it: load, which item has the focus, decide and undo.
// A decided item leaves the list at once (triage must not wait for the network); if the server
// refuses, it comes back where it was. Undo sends `restore` after hide/delete, `hold` after approve.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api.js';
import { useLoader } from '../../useLoader.js';
import { moderation, QUEUE_LIMIT, type Decision, type DecisionResult, type QueueItem } from '../../moderationApi.js';

/** A queue item; `restored` once an undo made it visible again (it stays for a new decision). */
export interface ReviewEntry extends QueueItem {
  restored?: boolean;
}

export type FinalDecision = 'approve' | 'hide' | 'delete';

export type Outcome =
  | { kind: 'decided'; decision: Decision; result: DecisionResult }
  | { kind: 'undone'; decision: Decision; result: DecisionResult }
  | { kind: 'failed'; error: unknown };

interface Done {
  item: ReviewEntry;
  index: number;
  decision: FinalDecision;
}

const UNDO_WITH: Record<FinalDecision, Decision> = { approve: 'hold', hide: 'restore', delete: 'restore' };
const UNDO_DEPTH = 20;

const sameId = (a: ReviewEntry, b: ReviewEntry) => String(a.id) === String(b.id);

function insertAt(list: ReviewEntry[], entry: ReviewEntry, index: number): ReviewEntry[] {
  if (list.some((other) => sameId(other, entry))) return list;
  return [...list.slice(0, index), entry, ...list.slice(index)];
}

export function useReviewQueue(workspace: string, onUnauthorized: () => void) {
  const [items, setItems] = useState<ReviewEntry[]>([]);
  const [seenToday, setSeenToday] = useState(0);
  const [breakPrompt, setBreakPrompt] = useState(false);
  const [serverReveal, setServerReveal] = useState<boolean | null>(null);
  const [focus, setFocus] = useState(0);
  const [done, setDone] = useState<Done[]>([]);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [pending, setPending] = useState(0);
  const more = useRef(false);
  const undoing = useRef(false);

  const { run, loading, error: loadError } = useLoader(onUnauthorized);

  const load = useCallback(() => run((signal) => moderation.queue(workspace, signal), (queue) => {
    const list = Array.isArray(queue.items) ? queue.items : [];
    setItems(list);
    setFocus(0);
    setSeenToday(queue.seenToday ?? 0);
    setBreakPrompt(queue.training?.breakPrompt ?? false);
    setServerReveal(queue.revealToxic ?? null);
    more.current = list.length >= QUEUE_LIMIT;
  }), [workspace, run]);

  useEffect(() => {
    void load();
  }, [load]);

  // The last item of a full page was decided: fetch the next ones once every decision has landed.
  useEffect(() => {
    if (!loading && pending === 0 && items.length === 0 && more.current) void load();
  }, [loading, pending, items.length, load]);

  const index = items.length ? Math.min(focus, items.length - 1) : -1;
  const focused = index >= 0 ? items[index] : null;

  async function send(item: ReviewEntry, decision: Decision, category?: string): Promise<DecisionResult | null> {
    setPending((n) => n + 1);
    try {
      return await moderation.decide(workspace, item.id, decision, undefined, category);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthorized();
      else setOutcome({ kind: 'failed', error: err });
      return null;
    } finally {
      setPending((n) => n - 1);
    }
  }

  /** `categoryOf` names what a hide or delete is about (the label the model learns). */
  async function decide(decision: FinalDecision, categoryOf?: (item: ReviewEntry) => string | undefined) {
    if (!focused) return;
    const item = focused;
    const at = index;
    setItems((list) => list.filter((other) => !sameId(other, item)));
    const result = await send(item, decision, decision === 'approve' ? undefined : categoryOf?.(item));
    if (!result) {
      setItems((list) => insertAt(list, item, at));
      setFocus(at);
      return;
    }
    setDone((list) => [...list.slice(1 - UNDO_DEPTH), { item, index: at, decision }]);
    setOutcome({ kind: 'decided', decision, result });
  }

  async function undo() {
    const last = done.at(-1);
    if (!last || undoing.current) return;
    undoing.current = true;
    setDone((list) => list.slice(0, -1));
    const decision = UNDO_WITH[last.decision];
    const result = await send(last.item, decision);
    undoing.current = false;
    if (!result) {
      setDone((list) => [...list, last]);
      return;
    }
    setItems((list) => insertAt(list, { ...last.item, restored: decision === 'restore' }, last.index));
    setFocus(last.index);
    setOutcome({ kind: 'undone', decision, result });
  }

  return {
    items,
    index,
    focused,
    loading,
    loadError,
    seenToday,
    breakPrompt,
    serverReveal,
    outcome,
    canUndo: done.length > 0,
    load,
    decide,
    undo,
    move: (delta: number) => setFocus(Math.max(0, Math.min(items.length - 1, index + delta))),
    focusAt: (at: number) => setFocus(at),
  };
}
