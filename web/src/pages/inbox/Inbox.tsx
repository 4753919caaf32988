// "Posteingang": every conversation of the workspace in one list, with filters and saved views,
// the open conversation beside it, and keys for everything: j/k move, a assigns to me, r
// replies, e closes, l labels, x selects for bulk actions, / searches, ? shows the keys.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { idFromHash } from '../../nav.js';
import { formatDateTime, useI18n } from '../../i18n.js';
import { useKeyboard, type KeyHandlers } from '../review/useKeyboard.js';
import { ConversationPane } from './ConversationPane.js';
import { InboxFilters } from './Filters.js';
import { InboxShortcutSheet } from './ShortcutSheet.js';
import { SlaBadge } from './SlaBadge.js';
import { inboxApi, watchPresence, type Conversation, type Filters, type Presence } from './inboxApi.js';

const WORKING_ROLES = new Set(['owner', 'admin', 'manager', 'moderator']);
const VIEWING_EVERY_MS = 10_000;

interface Props {
  workspace: string;
  role: string | null;
  me: { id: string; name: string };
  onUnauthorized: () => void;
}

export function Inbox({ workspace, role, me, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const m = t.inbox;
  const api = inboxApi(workspace);
  const canWork = WORKING_ROLES.has(role ?? '');
  const [filters, setFilters] = useState<Filters>({ view: 'all' });
  const [rows, setRows] = useState<Conversation[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);
  const [focus, setFocus] = useState(0);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const [sheet, setSheet] = useState(false);
  const [presence, setPresence] = useState<Map<number, Presence[]>>(new Map());
  const [labels, setLabels] = useState<string[]>([]);
  const [revision, setRevision] = useState(0);
  // A conversation opened from a mention, which need not be in the list.
  // #/inbox/<id> (reply in context from the people pages) opens that conversation.
  const [pinned, setPinned] = useState<number | null>(() => idFromHash(window.location.hash));
  const [mentions, setMentions] = useState<Awaited<ReturnType<ReturnType<typeof inboxApi>['mentions']>>['mentions'] | null>(null);
  const [mentionsOpen, setMentionsOpen] = useState(false);
  const replyRef = useRef<HTMLTextAreaElement | null>(null);
  const labelRef = useRef<HTMLInputElement | null>(null);
  const searchRef = useRef<HTMLInputElement | null>(null);
  const listRef = useRef<HTMLOListElement | null>(null);
  const focused = rows[focus] ?? null;
  const openConversation = pinned ?? focused?.id ?? null;

  const load = useCallback(async (more: string | null) => {
    setLoading(true);
    try {
      const page = await api.list(filters, more);
      setRows((prev) => (more ? [...prev, ...page.conversations.filter((c) => !prev.some((p) => p.id === c.id))] : page.conversations));
      setCursor(page.nextCursor);
      setError(null);
      if (!more) setFocus(0);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setError(err);
    }
    setLoading(false);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspace, filters]);

  useEffect(() => { void load(null); setSelected(new Set()); }, [load]);
  useEffect(() => {
    api.mentions().then((r) => setMentions(r.mentions)).catch(() => setMentions(null));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [workspace, revision, openConversation]);
  useEffect(() => { api.labelList().then((r) => setLabels(r.labels.map((l) => l.name))).catch(() => {}); /* eslint-disable-next-line react-hooks/exhaustive-deps */ }, [workspace, revision]);

  // Live presence of the whole workspace.
  useEffect(() => watchPresence(workspace, (id, people) => setPresence((prev) => new Map(prev).set(id, people))), [workspace]);

  // Tell colleagues which conversation I have open, renewed until I move on.
  const openId = openConversation;
  useEffect(() => {
    if (openId === null || role === 'analyst') return;
    const tell = () => void api.presence(openId, 'viewing').catch(() => {});
    tell();
    const timer = setInterval(tell, VIEWING_EVERY_MS);
    return () => { clearInterval(timer); void api.presence(openId, 'left').catch(() => {}); };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [openId, workspace]);

  useEffect(() => {
    listRef.current?.querySelector<HTMLElement>('[data-focused="true"]')?.scrollIntoView?.({ block: 'nearest' });
  }, [focus]);

  // Esc leaves a text field, so the single-letter keys work again.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement | null;
      if (e.key === 'Escape' && el && (el.tagName === 'TEXTAREA' || el.tagName === 'INPUT')) el.blur();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const replaceRow = useCallback((c: Conversation) => setRows((prev) => prev.map((r) => (r.id === c.id ? c : r))), []);

  async function change(fn: () => Promise<{ conversation: Conversation }>) {
    try {
      const out = await fn();
      replaceRow(out.conversation);
      setRevision((n) => n + 1);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setNotice(errorText(err, t));
    }
  }

  async function bulk(action: 'assign' | 'label' | 'close', label?: string) {
    const ids = [...selected];
    if (!ids.length) return;
    try {
      const out = await api.bulk(action === 'assign' ? { action, ids, me: true } : action === 'label' ? { action, ids, labels: [label!] } : { action, ids });
      setNotice(m.bulkDone(out.changed.length));
      setSelected(new Set());
      await load(null);
    } catch (err) {
      setNotice(errorText(err, t));
    }
  }

  const move = (by: number) => { setPinned(null); setFocus((f) => Math.max(0, Math.min(rows.length - 1, f + by))); };
  const keys: KeyHandlers = {
    j: () => move(1),
    k: () => move(-1),
    '/': () => searchRef.current?.focus(),
    '?': () => setSheet((s) => !s),
    Escape: () => setSheet(false),
  };
  if (openConversation !== null && canWork) {
    const id = openConversation;
    keys.a = () => void change(() => api.assign(id, { me: true }));
    keys.e = () => { void change(() => api.status(id, 'done')); move(1); };
    keys.r = () => replyRef.current?.focus();
    keys.l = () => labelRef.current?.focus();
    keys.x = () => setSelected((s) => { const n = new Set(s); if (!n.delete(id)) n.add(id); return n; });
  }
  useKeyboard(keys);

  return (
    <section className="inbox" aria-labelledby="inbox-title" aria-busy={loading} data-testid="inbox-page">
      <div className="page-head">
        <h1 id="inbox-title">{m.title}</h1>
        <button type="button" className="secondary" onClick={() => setSheet((s) => !s)} aria-keyshortcuts="?">{m.shortcuts}</button>
        {mentions && (
          <button type="button" className="secondary" data-testid="mentions-toggle" aria-expanded={mentionsOpen} onClick={() => setMentionsOpen((o) => !o)}>
            {m.mentions(mentions.filter((x) => !x.seen).length)}
          </button>
        )}
      </div>
      {mentionsOpen && mentions && (
        <ul className="mentions" data-testid="mentions">
          {mentions.length === 0 && <li className="muted">{m.noMentions}</li>}
          {mentions.map((x) => (
            <li key={x.noteId}>
              <button type="button" className={x.seen ? 'link' : 'link unseen'} data-testid="mention" onClick={() => { setPinned(x.conversationId); setMentionsOpen(false); }}>
                <strong>{m.mentionBy(x.author ?? '?')}</strong> <span className="muted">{formatDateTime(x.createdAt, locale)}</span> – {x.text}
              </button>
            </li>
          ))}
        </ul>
      )}
      {sheet && <InboxShortcutSheet onClose={() => setSheet(false)} />}
      <InboxFilters workspace={workspace} filters={filters} onChange={setFilters} searchRef={searchRef} labels={labels} />
      {selected.size > 0 && canWork && (
        <div className="bulk-bar" data-testid="bulk-bar">
          <span>{m.selected(selected.size)}</span>
          <button type="button" className="secondary" data-testid="bulk-assign" onClick={() => void bulk('assign')}>{m.bulkAssignMe}</button>
          <button type="button" className="secondary" data-testid="bulk-close" onClick={() => void bulk('close')}>{m.bulkClose}</button>
          <form onSubmit={(e) => { e.preventDefault(); const v = new FormData(e.currentTarget).get('label'); if (typeof v === 'string' && v.trim()) void bulk('label', v.trim()); }}>
            <input name="label" list="inbox-labels" aria-label={m.bulkLabel} placeholder={m.bulkLabel} maxLength={60} />
          </form>
        </div>
      )}
      <p className="review-status" role="status" data-testid="inbox-notice">{notice}</p>
      <div className="inbox-columns">
        <div className="inbox-list">
          {error !== null && <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>}
          {!loading && !error && rows.length === 0 && <p className="empty" data-testid="inbox-empty">{m.empty}</p>}
          <ol ref={listRef} aria-label={m.listLabel}>
            {rows.map((c, i) => {
              const here = (presence.get(c.id) ?? []).filter((p) => p.userId !== me.id);
              return (
                <li key={c.id} className={`conversation-row${i === focus ? ' focused' : ''}`} data-testid="conversation-row" data-id={c.id}
                  data-focused={i === focus ? 'true' : 'false'} data-status={c.status} onClick={() => { setPinned(null); setFocus(i); }}>
                  {canWork && (
                    <input type="checkbox" data-testid="row-select" aria-label={m.select} checked={selected.has(c.id)}
                      onClick={(e) => e.stopPropagation()}
                      onChange={() => setSelected((s) => { const n = new Set(s); if (!n.delete(c.id)) n.add(c.id); return n; })} />
                  )}
                  <div className="row-main">
                    <div className="row-head">
                      <strong>{c.preview.authorName ?? c.preview.authorHandle ?? '?'}</strong>
                      <span className="muted"> · {c.platform} · {formatDateTime(c.lastItemAt, locale)}</span>
                      <SlaBadge conversation={c} workspace={workspace} />
                    </div>
                    <p className="row-text">{c.preview.direction === 'outbound' && <span className="tag">{m.outbound}</span>} {c.preview.text}</p>
                    <div className="row-tags">
                      <span className={`status status-${c.status}`}>{m.statuses[c.status]}</span>
                      <span className="muted">{c.assignee ? c.assignee.name : m.unassigned}</span>
                      {c.labels.map((l) => <span key={l} className="tag">{l}</span>)}
                      {c.flagged && <span className="tag warn">{m.flagged}</span>}
                      {here.length > 0 && <span className="tag collision-tag" data-testid="row-presence">{here.map((p) => p.name).join(', ')}</span>}
                    </div>
                  </div>
                </li>
              );
            })}
          </ol>
          {cursor && <button type="button" className="secondary" onClick={() => void load(cursor)}>{m.loadMore}</button>}
        </div>
        <div className="inbox-pane">
          {openConversation !== null
            ? <ConversationPane workspace={workspace} id={openConversation} meId={me.id} canWork={canWork} presence={presence.get(openConversation) ?? []}
                labels={labels} onChanged={replaceRow} onUnauthorized={onUnauthorized} replyRef={replyRef} labelRef={labelRef} revision={revision} />
            : <p className="muted">{m.choose}</p>}
        </div>
      </div>
    </section>
  );
}
