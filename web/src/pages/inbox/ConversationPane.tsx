// One conversation: header (status, assignee, labels, the SLA slot, who else is here), the
// whole thread with the post it hangs under, earlier exchanges with the same people, the
// composer, internal notes and the history. All member and colleague text is rendered as text.
import { useEffect, useState, type ReactNode } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { formatDateTime, useI18n } from '../../i18n.js';
import { SafeLink } from '../../SafeLink.js';
import { Composer } from './Composer.js';
import { SlaBadge } from './SlaBadge.js';
import { MisinfoEvidence } from '../misinfo/MisinfoEvidence.js';
import { MarkClaim } from '../misinfo/MarkClaim.js';
import { NeedsAnswerControl } from '../sla/NeedsAnswerControl.js';
import { inboxApi, type Conversation, type ConversationView, type Presence, type ThreadItem } from './inboxApi.js';

interface Props {
  workspace: string;
  id: number;
  meId: string;
  canWork: boolean;
  presence: Presence[];
  labels: string[];
  onChanged: (c: Conversation) => void;
  onUnauthorized: () => void;
  replyRef: React.RefObject<HTMLTextAreaElement | null>;
  labelRef: React.RefObject<HTMLInputElement | null>;
  /** Bumped by the page when a key changed this conversation, so the view reloads. */
  revision: number;
}

function Item({ item, onRetry, onDraft, extra }: { item: ThreadItem; onRetry?: () => void; onDraft?: () => void; extra?: ReactNode }) {
  const { t, locale } = useI18n();
  const m = t.inbox;
  return (
    <li className={`thread-item ${item.direction}`} data-testid="thread-item" data-direction={item.direction}>
      <div className="thread-meta">
        <strong>{item.author.displayName ?? item.author.handle ?? '?'}</strong>
        {item.author.handle && <span className="muted"> {item.author.handle}</span>}
        <span className="muted"> · {item.platform} · {formatDateTime(item.createdAt, locale)}</span>
        {item.permalink && <> · <SafeLink href={item.permalink}>{m.openOriginal}</SafeLink></>}
        {item.moderation !== 'visible' && <span className="tag warn"> {t.states[item.moderation] ?? item.moderation}</span>}
      </div>
      <p className="thread-text">{item.text}</p>
      {extra}
      {item.send && (
        <p className={item.send.state === 'failed' ? 'error' : 'muted'} data-testid="send-state" data-state={item.send.state}>
          {item.send.state === 'sending' ? m.sending : item.send.state === 'sent' ? m.sent : m.failed(item.send.error ?? '')}
          {item.send.state === 'failed' && onRetry && <> <button type="button" className="secondary" data-testid="send-retry" onClick={onRetry}>{m.retry}</button></>}
          {item.send.state === 'failed' && onDraft && <> <button type="button" className="secondary" onClick={onDraft}>{m.useDraft}</button></>}
        </p>
      )}
    </li>
  );
}

export function ConversationPane({ workspace, id, meId, canWork, presence, labels, onChanged, onUnauthorized, replyRef, labelRef, revision }: Props) {
  const { t, locale } = useI18n();
  const m = t.inbox;
  const api = inboxApi(workspace);
  const [view, setView] = useState<ConversationView | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [draft, setDraft] = useState('');
  const [note, setNote] = useState('');
  const [label, setLabel] = useState('');
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    api.get(id, ctrl.signal).then((v) => { setView(v); setError(null); onChanged(v.conversation); }).catch((err) => {
      if (ctrl.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setError(err);
    });
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id, reload, revision, workspace]);

  useEffect(() => setDraft(''), [id]);

  // While a reply is on its way, look again until the platform has answered.
  const sending = view?.items.some((i) => i.send?.state === 'sending');
  useEffect(() => {
    if (!sending) return;
    const timer = setTimeout(() => setReload((n) => n + 1), 1000);
    return () => clearTimeout(timer);
  }, [sending, view]);

  async function act(fn: () => Promise<{ conversation: Conversation }>) {
    try {
      const out = await fn();
      onChanged(out.conversation);
      setReload((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setError(err);
    }
  }

  if (error && !view) return <p className="error" role="alert">{errorText(error, t)}</p>;
  if (!view || view.conversation.id !== id) return <p className="muted">{t.loading}</p>;
  const c = view.conversation;
  const others = presence.filter((p) => p.userId !== meId);

  return (
    <article className="conversation" aria-labelledby="conversation-title" data-testid="conversation" data-id={c.id}>
      <header className="conversation-head">
        <h2 id="conversation-title">{c.preview.authorName ?? c.preview.authorHandle ?? c.platform} <small className="muted">{c.platform} · {c.connection.name}</small></h2>
        <div className="conversation-state">
          <span className={`status status-${c.status}`} data-testid="conversation-status" data-status={c.status}>{m.statuses[c.status]}</span>
          {c.snoozedUntil && <span className="muted">{m.snoozedUntil(formatDateTime(c.snoozedUntil, locale))}</span>}
          <span data-testid="assignee">{c.assignee ? m.assignedTo(c.assignee.name) : m.unassigned}</span>
          {c.team && <span className="muted">{c.team.name}</span>}
          <SlaBadge conversation={c} workspace={workspace} />
        </div>
        {others.length > 0 && (
          <p className="collision" role="status" data-testid="collision">
            {m.collision(others.map((p) => `${p.name} (${p.state === 'typing' ? m.typing : m.viewing})`).join(', '))}
          </p>
        )}
        {canWork && (
          <div className="conversation-actions">
            <button type="button" className="secondary" data-testid="assign-me" onClick={() => void act(() => api.assign(c.id, { me: true }))}>{m.assignMe}</button>
            {c.status !== 'done'
              ? <button type="button" className="secondary" data-testid="close-conversation" onClick={() => void act(() => api.status(c.id, 'done'))}>{m.close}</button>
              : <button type="button" className="secondary" onClick={() => void act(() => api.status(c.id, 'open'))}>{m.reopen}</button>}
            <button type="button" className="secondary" onClick={() => void act(() => api.status(c.id, 'waiting'))}>{m.waiting}</button>
            <button type="button" className="secondary" onClick={() => void act(() => api.status(c.id, c.status, new Date(Date.now() + 86_400_000).toISOString()))}>{m.snooze}</button>
          </div>
        )}
        <div className="labels" aria-label={m.labels}>
          {c.labels.map((l) => (
            <span key={l} className="tag" data-testid="label">
              {l}
              {canWork && <button type="button" className="link" aria-label={m.removeLabel(l)} onClick={() => void act(() => api.labels(c.id, [], [l]))}>×</button>}
            </span>
          ))}
          {canWork && (
            <form className="label-add" onSubmit={(e) => { e.preventDefault(); const v = label.trim(); if (v) { setLabel(''); void act(() => api.labels(c.id, [v], [])); } }}>
              <input ref={labelRef} data-testid="label-input" list="inbox-labels" aria-label={m.addLabel} placeholder={m.addLabel} value={label} maxLength={60} onChange={(e) => setLabel(e.target.value)} />
              <datalist id="inbox-labels">{labels.map((l) => <option key={l} value={l} />)}</datalist>
            </form>
          )}
        </div>
        {error !== null && <p className="error" role="alert">{errorText(error, t)}</p>}
      </header>

      <section aria-label={m.thread}>
        <ol className="thread" data-testid="thread">
          {view.items.map((i) => (
            <Item key={i.id} item={i}
              onRetry={canWork ? () => void api.retry(i.id).then(() => setReload((n) => n + 1)) : undefined}
              onDraft={canWork ? () => { setDraft(i.text); replyRef.current?.focus(); } : undefined}
              extra={i.direction === 'inbound' ? <>
                <NeedsAnswerControl workspace={workspace} itemId={i.id} canCorrect={canWork} onUnauthorized={onUnauthorized} />
                <MisinfoEvidence signals={i.misinfo ?? []} text={i.text} itemId={i.id} workspace={canWork ? workspace : undefined} />
                {canWork && <MarkClaim workspace={workspace} itemId={i.id} text={i.text} />}
              </> : undefined} />
          ))}
        </ol>
      </section>

      {canWork
        ? <Composer workspace={workspace} conversation={c} draft={draft} onDraft={setDraft} onSent={() => setReload((n) => n + 1)} replyRef={replyRef} />
        : <p className="muted">{m.readOnly}</p>}

      <section className="notes" aria-labelledby="notes-title">
        <h3 id="notes-title">{m.notes}</h3>
        <ul>
          {view.notes.map((n) => (
            <li key={n.id} data-testid="note"><strong>{n.author?.name ?? '?'}</strong> <span className="muted">{formatDateTime(n.createdAt, locale)}</span><p>{n.text}</p></li>
          ))}
        </ul>
        <form onSubmit={(e) => { e.preventDefault(); const text = note.trim(); if (text) void api.note(c.id, text).then(() => { setNote(''); setReload((x) => x + 1); }).catch(setError); }}>
          <textarea data-testid="note-text" aria-label={m.notes} placeholder={m.notesHint} rows={2} value={note} onChange={(e) => setNote(e.target.value)} maxLength={10_000} />
          <button type="submit" className="secondary" data-testid="note-save">{m.noteSave}</button>
        </form>
      </section>

      <section aria-labelledby="earlier-title">
        <h3 id="earlier-title">{m.earlier}</h3>
        {view.earlier.length === 0 ? <p className="muted">{m.noEarlier}</p> : <ol className="thread">{view.earlier.map((i) => <Item key={i.id} item={i} />)}</ol>}
      </section>

      <details>
        <summary>{m.history}</summary>
        <ul className="history">
          {view.history.map((h) => (
            <li key={h.id}><span className="muted">{formatDateTime(h.createdAt, locale)}</span> {h.actor} · {h.type} · {JSON.stringify(h.data?.after ?? h.data)}</li>
          ))}
        </ul>
      </details>
    </article>
  );
}
