// One word list being edited: the text (with line numbers, fast for 100,000 lines: the gutter is
// one text node), a small form that appends an entry, the size against the limit, and the
// server's errors, each jumping to its line.
import { useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { moderation, type WordListProblem } from '../../moderationApi.js';
import { jumpTo } from '../rules/RulesEditor.js';

const CATEGORIES = ['insult', 'threat', 'slur', 'profanity', 'spam', 'allow'];
const MODES = ['part', 'word', 'start', 'end'];

interface Props {
  workspace: string;
  name: string;
  initial: string;
  maxChars: number;
  onSaved: () => void;
  onClose: () => void;
  onUnauthorized: () => void;
}

function entryCount(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    const s = line.trim();
    if (s && !s.startsWith('#')) n++;
  }
  return n;
}

export function ListEditor({ workspace, name, initial, maxChars, onSaved, onClose, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const w = t.wordLists;
  /** A problem in the reader's language (the server sends German alongside English). */
  const problemText = (p: WordListProblem) => {
    const message = locale === 'de' && p.messageDe ? p.messageDe : p.message;
    return w.errorAt(p.line, p.term ? `${message} („${p.term}“)` : message);
  };
  const [text, setText] = useState(initial);
  const [category, setCategory] = useState('insult');
  const [mode, setMode] = useState('part');
  const [term, setTerm] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<WordListProblem[]>([]);
  const [warnings, setWarnings] = useState<WordListProblem[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLPreElement>(null);

  const lines = useMemo(() => text.split('\n').length, [text]);
  const numbers = useMemo(() => Array.from({ length: lines }, (_, i) => i + 1).join('\n'), [lines]);
  const entries = useMemo(() => entryCount(text), [text]);
  const tooLarge = text.length > maxChars;

  function add(event: FormEvent) {
    event.preventDefault();
    const clean = term.replace(/\s+/g, ' ').trim();
    if (!clean) return;
    const line = `${category} ${mode} ${clean}`;
    setText((old) => (old === '' || old.endsWith('\n') ? old : old + '\n') + line + '\n');
    setTerm('');
  }

  async function save() {
    if (tooLarge) return setMessage({ ok: false, text: w.tooLarge(text.length, maxChars) });
    setBusy(true);
    setMessage(null);
    setProblems([]);
    setWarnings([]);
    try {
      const done = await moderation.saveWordList(workspace, name, text);
      setMessage({ ok: true, text: w.saved(name, done.entries, done.allowed) });
      setWarnings(done.warningDetails ?? (done.warnings ?? []).map((message) => ({ line: null, entry: null, term: null, message })));
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      const list = err instanceof ApiError && err.code === 'invalid_word_list' ? (err.details as { errors?: WordListProblem[] } | undefined)?.errors : undefined;
      if (list?.length) setProblems(list);
      else setMessage({ ok: false, text: errorText(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="list-editor" aria-labelledby="list-editor-title" data-testid="list-editor" data-list={name}>
      <div className="page-head">
        <h2 id="list-editor-title">{w.editing(name)}</h2>
        <span className="spacer" />
        <button type="button" className="secondary" onClick={onClose}>{w.close}</button>
      </div>

      <form className="toolbar add-entry" onSubmit={add} aria-label={w.addTitle}>
        <label className="field-inline">
          <span>{w.category}</span>
          <select data-testid="entry-category" value={category} onChange={(e) => setCategory(e.target.value)}>
            {CATEGORIES.map((c) => <option key={c} value={c}>{w.categories[c]}</option>)}
          </select>
        </label>
        <label className="field-inline">
          <span>{w.mode}</span>
          <select data-testid="entry-mode" value={mode} onChange={(e) => setMode(e.target.value)}>
            {MODES.map((m) => <option key={m} value={m}>{w.modes[m]}</option>)}
          </select>
        </label>
        <label className="field-inline">
          <span>{w.term}</span>
          <input data-testid="entry-term" value={term} maxLength={200} onChange={(e) => setTerm(e.target.value)} />
        </label>
        <button type="submit" className="secondary" data-testid="entry-add" disabled={!term.trim()}>{w.add}</button>
      </form>

      <div className="code-editor">
        <pre className="gutter" ref={gutter} aria-hidden="true">{numbers}</pre>
        <textarea ref={area} data-testid="list-text" aria-label={w.editorLabel} value={text}
          spellCheck={false} autoCapitalize="off" autoComplete="off" autoCorrect="off" wrap="off"
          aria-invalid={problems.length > 0 || tooLarge || undefined}
          onChange={(e) => setText(e.target.value)}
          onScroll={(e) => { if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop; }} />
      </div>
      <p className={tooLarge ? 'error' : 'muted'} data-testid="list-size">
        {tooLarge ? w.tooLarge(text.length, maxChars) : w.size(text.length, maxChars, entries)}
      </p>

      {problems.length > 0 && (
        <div className="error rule-errors" role="alert">
          <p>{w.errorsTitle(problems.length)}</p>
          <ul data-testid="list-errors">
            {problems.map((p, i) => (
              <li key={i}>
                <button type="button" className="link" data-testid="list-error" data-line={p.line ?? ''}
                  onClick={() => { if (area.current && p.line) jumpTo(area.current, p.line, 1, area.current.value.split('\n')[p.line - 1]?.length ?? 0); }}>
                  {problemText(p)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      {warnings.length > 0 && (
        <div className="notice">
          <p>{w.warnings}</p>
          <ul data-testid="list-warnings">{warnings.map((x, i) => <li key={i}>{problemText(x)}</li>)}</ul>
        </div>
      )}

      <div className="toolbar">
        <button type="button" data-testid="list-save" disabled={busy || tooLarge} onClick={() => void save()}>{busy ? w.saving : w.save}</button>
        {message && <p className={message.ok ? 'notice' : 'error'} role={message.ok ? 'status' : 'alert'} data-testid="list-message">{message.text}</p>}
      </div>
    </section>
  );
}
