// "Prüfen": keyboard-first triage of the items held for review (GET /api/v1/moderation/queue).
// Toxic text stays blurred unless the person chose otherwise; everything is rendered as text.
import { useEffect, useRef, useState } from 'react';
import { api, ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { useI18n, type Messages } from '../i18n.js';
import type { DecisionResult } from '../moderationApi.js';
import { ReviewItem } from './review/ReviewItem.js';
import { ShortcutSheet } from './review/ShortcutSheet.js';
import { useKeyboard, type KeyHandlers } from './review/useKeyboard.js';
import { useReviewQueue, type FinalDecision, type Outcome, type ReviewEntry } from './review/useReviewQueue.js';

const CATEGORIES = ['auto', 'insult', 'threat', 'slur', 'profanity', 'spam'];
const WORD_ORDER = ['threat', 'spam', 'slur', 'insult', 'profanity'];
const SCORE_CATEGORY: Record<string, string> = { threat: 'threat', spam: 'spam', offensive: 'insult' };

/** The reason an item's own signals suggest: the gravest word-list category, else the model's strongest label. */
function suggestedCategory(item: ReviewEntry): string | undefined {
  const words = new Set(item.signals.filter((s) => s.kind === 'words').map((s) => s.label));
  const word = WORD_ORDER.find((c) => words.has(c));
  if (word) return word;
  const scored = item.signals.filter((s) => s.kind === 'classifier' && s.score >= 0.5 && SCORE_CATEGORY[s.label]).sort((a, b) => b.score - a.score)[0];
  return scored ? SCORE_CATEGORY[scored.label] : undefined;
}

const READ_ONLY_ROLES = new Set(['trainee', 'analyst']);
/** From this many harmful items a day, the note suggests a break more plainly. */
const MANY_HARMFUL = 50;

interface Props {
  workspace: string;
  role: string | null;
  /** The saved setting from /me; undefined if the server does not send it (the queue does). */
  revealToxic: boolean | undefined;
  onRevealToxicChange: (reveal: boolean) => void;
  onUnauthorized: () => void;
}

function platformText(result: DecisionResult, t: Messages): string {
  const r = t.review;
  if (result.draft) return t.training.decisionWaiting;
  if (!result.changed) return r.unchanged;
  if (!result.platformAction) return r.inAllmendeOnly;
  if (result.platformAction.state === 'unsupported') return r.platformCannot;
  return r.onPlatform(r.actionStates[result.platformAction.state] ?? result.platformAction.state);
}

function outcomeText(outcome: Outcome, t: Messages): string {
  if (outcome.kind === 'failed') return errorText(outcome.error, t);
  const text = `${t.review.decided[outcome.decision]} – ${platformText(outcome.result, t)}`;
  return outcome.kind === 'undone' ? `${t.review.undone} ${text}` : text;
}

export function Review({ workspace, role, revealToxic, onRevealToxicChange, onUnauthorized }: Props) {
  const { t } = useI18n();
  const r = t.review;
  const q = useReviewQueue(workspace, onUnauthorized);
  const reveal = revealToxic ?? q.serverReveal ?? false;
  // Items whose blur the person flipped with space or a click; forgotten when the setting changes.
  const [flips, setFlips] = useState({ reveal, ids: new Set<string>() });
  const flipped = flips.reveal === reveal ? flips.ids : new Set<string>();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [sheet, setSheet] = useState(false);
  const [settingError, setSettingError] = useState<unknown>(null);
  const [keyMoves, setKeyMoves] = useState(0);
  const [category, setCategory] = useState('auto');
  const list = useRef<HTMLOListElement>(null);

  const focusedId = q.focused ? String(q.focused.id) : null;
  const confirmingFocused = confirming !== null && confirming === focusedId;
  const isHidden = (item: ReviewEntry) => (item.harmful && !reveal) !== flipped.has(String(item.id));

  // After a move by key, the focused item also gets the keyboard focus (screen readers follow it).
  useEffect(() => {
    if (keyMoves > 0) list.current?.querySelector<HTMLElement>('[data-focused="true"]')?.focus();
  }, [keyMoves, focusedId]);

  function toggleBlur(item: ReviewEntry) {
    const ids = new Set(flipped);
    const id = String(item.id);
    if (!ids.delete(id)) ids.add(id);
    setFlips({ reveal, ids });
  }

  function decide(decision: FinalDecision) {
    setConfirming(null);
    void q.decide(decision, (item) => (category === 'auto' ? suggestedCategory(item) : category));
  }

  function askDelete() {
    if (!focusedId) return;
    if (confirmingFocused) decide('delete');
    else setConfirming(focusedId);
  }

  async function saveReveal(next: boolean) {
    setSettingError(null);
    onRevealToxicChange(next);
    try {
      await api.saveRevealToxic(next);
    } catch (err) {
      onRevealToxicChange(!next);
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setSettingError(err);
    }
  }

  const byKey = (action: () => void) => () => {
    action();
    setKeyMoves((n) => n + 1);
  };
  const keys: KeyHandlers = {
    j: byKey(() => { setConfirming(null); q.move(1); }),
    k: byKey(() => { setConfirming(null); q.move(-1); }),
    a: byKey(() => decide('approve')),
    h: byKey(() => decide('hide')),
    d: byKey(askDelete),
    u: byKey(() => { setConfirming(null); void q.undo(); }),
    ' ': () => { if (q.focused) toggleBlur(q.focused); },
    '?': () => setSheet((open) => !open),
    ...Object.fromEntries(CATEGORIES.map((c, i) => [String(i), () => setCategory(c)])),
    Escape: () => { setConfirming(null); setSheet(false); },
  };
  if (confirmingFocused) keys.Enter = byKey(() => decide('delete'));
  useKeyboard(keys);

  const seen = q.seenToday;
  return (
    <section className="review" aria-labelledby="review-title" aria-busy={q.loading} data-testid="review-page">
      <div className="page-head">
        <h1 id="review-title">{r.title}</h1>
        {q.items.length > 0 && <span className="muted">{r.waiting(q.items.length)}</span>}
      </div>

      {q.breakPrompt && <p className="notice" role="status" data-testid="review-break-prompt">{t.training.breakPrompt}</p>}
      <div className="workload">
        <p data-testid="review-seen-today">
          <strong>{r.seenToday(seen)}</strong>{' '}
          <span className="muted">{seen >= MANY_HARMFUL ? r.seenNoteMany : r.seenNote}</span>
        </p>
        <label className="toggle">
          <input type="checkbox" data-testid="toggle-reveal-toxic" checked={reveal}
            onChange={(e) => void saveReveal(e.target.checked)} />
          <span>{r.revealToggle}</span>
        </label>
      </div>
      {settingError !== null && <p className="error" role="alert">{r.revealSaveFailed} {errorText(settingError, t)}</p>}

      <div className="toolbar">
        <button type="button" className="secondary" data-testid="review-undo" aria-keyshortcuts="u"
          disabled={!q.canUndo} onClick={() => void q.undo()}>
          {r.undo} <kbd aria-hidden="true">u</kbd>
        </button>
        <button type="button" className="secondary" data-testid="review-shortcuts" aria-expanded={sheet}
          aria-keyshortcuts="?" onClick={() => setSheet((open) => !open)}>
          {r.shortcuts} <kbd aria-hidden="true">?</kbd>
        </button>
        <label className="field-inline" title={r.categoryHint}>
          <span>{r.category}</span>
          <select data-testid="review-category" value={category} onChange={(e) => setCategory(e.target.value)}>
            {CATEGORIES.map((c, i) => <option key={c} value={c}>{i} · {r.reasonCategories[c]}</option>)}
          </select>
        </label>
        <button type="button" className="secondary" data-testid="review-reload" disabled={q.loading} onClick={() => void q.load()}>
          {r.reload}
        </button>
      </div>
      {role && READ_ONLY_ROLES.has(role) && <p className="notice" data-testid="review-readonly">{r.readOnly}</p>}
      {sheet && <ShortcutSheet onClose={() => setSheet(false)} />}

      <p className={`review-status${q.outcome?.kind === 'failed' ? ' error' : ''}`} data-testid="review-status"
        role={q.outcome?.kind === 'failed' ? 'alert' : 'status'}>
        {q.outcome ? outcomeText(q.outcome, t) : ''}
      </p>

      {q.loading && q.items.length === 0 && <p className="muted">{t.loading}</p>}
      {q.loadError !== null && (
        <div className="error" role="alert" data-testid="review-error">
          <p>{r.loadFailed} {errorText(q.loadError, t)}</p>
          <button type="button" onClick={() => void q.load()}>{t.retry}</button>
        </div>
      )}
      {!q.loading && q.loadError === null && q.items.length === 0 && (
        <p className="empty" data-testid="review-empty">{r.empty}</p>
      )}
      {q.items.length > 0 && (
        <ol className="items review-list" ref={list} aria-label={r.queueLabel}>
          {q.items.map((item, i) => (
            <ReviewItem key={String(item.id)} item={item} focused={i === q.index} hidden={isHidden(item)}
              confirmingDelete={confirmingFocused && i === q.index}
              onFocus={() => { if (i !== q.index) { setConfirming(null); q.focusAt(i); } }}
              onToggleBlur={() => toggleBlur(item)} onDecide={decide} onDelete={askDelete}
              onCancelDelete={() => setConfirming(null)} />
          ))}
        </ol>
      )}
    </section>
  );
}
