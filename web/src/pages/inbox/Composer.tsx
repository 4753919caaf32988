// The reply composer: text with the platform's length (counted as people count characters),
// canned responses searched by words and filled for this conversation, Ctrl+Enter to send.
// Typing is announced to colleagues in the same conversation (presence).
import { useEffect, useRef, useState } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { inboxApi, type Canned, type Conversation } from './inboxApi.js';

/** The same limits the server checks (src/inbox/replies.ts); the server has the last word. */
const LIMITS: Record<string, number> = { bluesky: 300, x: 280, mastodon: 500, threads: 500, instagram: 2200, tiktok: 150, linkedin: 1250, discord: 2000 };
const segmenter = typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'grapheme' }) : null;
const graphemes = (s: string) => (segmenter ? [...segmenter.segment(s)].length : [...s].length);
const TYPING_EVERY_MS = 3000;

interface Props {
  workspace: string;
  conversation: Conversation;
  draft: string;
  onDraft: (text: string) => void;
  onSent: () => void;
  replyRef: React.RefObject<HTMLTextAreaElement | null>;
}

export function Composer({ workspace, conversation, draft, onDraft, onSent, replyRef }: Props) {
  const { t } = useI18n();
  const m = t.inbox;
  const api = inboxApi(workspace);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [q, setQ] = useState('');
  const [canned, setCanned] = useState<Canned[] | null>(null);
  const [unknown, setUnknown] = useState<string[]>([]);
  const lastTyping = useRef(0);
  const limit = LIMITS[conversation.platform];
  const used = graphemes(draft);

  useEffect(() => {
    if (!q.trim()) { setCanned(null); return; }
    const timer = setTimeout(() => { api.canned(q, conversation.language).then((r) => setCanned(r.canned)).catch(() => setCanned([])); }, 150);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [q, conversation.id]);

  function typed(text: string) {
    onDraft(text);
    if (Date.now() - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = Date.now();
      void api.presence(conversation.id, 'typing').catch(() => {});
    }
  }

  async function useCanned(c: Canned) {
    const filled = await api.fillCanned(conversation.id, c.id);
    typed(filled.text);
    setUnknown(filled.unknown);
    setQ('');
    setCanned(null);
    replyRef.current?.focus();
  }

  async function send() {
    if (!draft.trim() || busy) return;
    setBusy(true);
    setError(null);
    try {
      await api.reply(conversation.id, draft);
      onDraft('');
      setUnknown([]);
      onSent();
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  }

  return (
    <section className="composer" aria-label={m.reply} data-testid="composer">
      <div className="canned">
        <input type="search" data-testid="canned-search" aria-label={m.cannedSearch} placeholder={m.cannedSearch} value={q}
          onChange={(e) => setQ(e.target.value)}
          onKeyDown={(e) => { if (e.key === 'Enter' && canned?.[0]) { e.preventDefault(); void useCanned(canned[0]); } }} />
        {canned && (
          <ul className="canned-options" data-testid="canned-options">
            {canned.length === 0 && <li className="muted">{m.cannedNone}</li>}
            {canned.map((c) => (
              <li key={c.id}>
                <button type="button" className="secondary" data-testid="canned-option" onClick={() => void useCanned(c)}>
                  {c.name} <small className="muted">{c.language}</small>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <textarea ref={replyRef} data-testid="reply-text" aria-label={m.reply} placeholder={m.replyPlaceholder} rows={4} value={draft}
        onChange={(e) => typed(e.target.value)}
        onKeyDown={(e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); void send(); } }} />
      {unknown.length > 0 && <p className="error" data-testid="canned-unknown">{m.cannedUnknown(unknown.join(', '))}</p>}
      <div className="composer-foot">
        {limit !== undefined && (
          <span className={used > limit ? 'error' : 'muted'} data-testid="reply-count">{used > limit ? m.tooLong(used - limit) : m.charsLeft(limit - used)}</span>
        )}
        <button type="button" data-testid="reply-send" disabled={busy || !draft.trim() || (limit !== undefined && used > limit)} onClick={() => void send()}>{m.send}</button>
      </div>
      {error !== null && <p className="error" role="alert" data-testid="reply-error">{errorText(error, t)}</p>}
    </section>
  );
}
