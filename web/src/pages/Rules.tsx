// "Regeln": edit the workspace's rules as text, test them against the last 30 days, save them.
// Errors come with line and column; clicking one puts the cursor there.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { useI18n } from '../i18n.js';
import { moderation, type RuleError, type RulesTest } from '../moderationApi.js';
import { jumpTo, RulesEditor } from './rules/RulesEditor.js';
import { RulesHelp } from './rules/RulesHelp.js';
import { TestResult } from './rules/TestResult.js';
import { RuleFormEditor } from './rules/RuleFormEditor.js';

const TEST_DAYS = 30;

/** Unsaved edits per workspace, kept while the person looks at another page. */
const drafts = new Map<string, string>();

interface Props {
  workspace: string;
  revealToxic: boolean;
  onUnauthorized: () => void;
}

function ruleErrors(err: unknown): RuleError[] | null {
  if (!(err instanceof ApiError) || err.code !== 'invalid_rules') return null;
  const errors = (err.details as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? (errors as RuleError[]) : [];
}

export function Rules({ workspace, revealToxic, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const r = t.rules;
  const [source, setSource] = useState('');
  const [saved, setSaved] = useState<{ source: string; version: number } | null>(null);
  const [errors, setErrors] = useState<RuleError[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'test' | 'save' | null>(null);
  const [result, setResult] = useState<RulesTest | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [showForm, setShowForm] = useState(false);
  const editor = useRef<HTMLTextAreaElement>(null);

  async function load(signal?: AbortSignal) {
    setLoadError(null);
    try {
      const doc = await moderation.rules(workspace, signal);
      setSaved({ source: doc.source, version: doc.version });
      setSource(drafts.get(workspace) ?? doc.source);
      setErrors(drafts.has(workspace) ? [] : doc.errors ?? []);
    } catch (err) {
      if (signal?.aborted) return;
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setLoadError(err);
    }
  }

  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- load once per workspace (the page is keyed by it)
  }, [workspace]);

  function edit(value: string) {
    setSource(value);
    if (saved && value === saved.source) drafts.delete(workspace);
    else drafts.set(workspace, value);
  }

  /** Shows what went wrong; rule errors go to the list, anything else to the message line. */
  function failed(err: unknown) {
    if (err instanceof ApiError && err.status === 401) return onUnauthorized();
    const list = ruleErrors(err);
    if (list) setErrors(list);
    setMessage(list?.length ? null : { ok: false, text: errorText(err, t) });
  }

  async function test() {
    setBusy('test');
    setMessage(null);
    try {
      setResult(await moderation.testRules(workspace, source, TEST_DAYS));
      setErrors([]);
    } catch (err) {
      setResult(null);
      failed(err);
    }
    setBusy(null);
  }

  async function save() {
    setBusy('save');
    setMessage(null);
    try {
      const done = await moderation.saveRules(workspace, source);
      setSaved({ source, version: done.version });
      drafts.delete(workspace);
      setErrors([]);
      setMessage({ ok: true, text: r.saved(done.version, done.rules) });
    } catch (err) {
      failed(err);
    }
    setBusy(null);
  }

  const dirty = saved !== null && source !== saved.source;
  return (
    <section className="rules" aria-labelledby="rules-title" data-testid="rules-page">
      <div className="page-head">
        <h1 id="rules-title">{r.title}</h1>
        {saved && <span className="muted">{r.version(saved.version)}</span>}
        {dirty && <span className="badge" data-testid="rules-unsaved">{r.unsaved}</span>}
      </div>
      <p className="muted">{r.intro}</p>
      {loadError !== null && (
        <div className="error" role="alert" data-testid="rules-load-error">
          <p>{r.loadFailed} {errorText(loadError, t)}</p>
          <button type="button" onClick={() => void load()}>{t.retry}</button>
        </div>
      )}
      {!saved && loadError === null && <p className="muted">{t.loading}</p>}

      <div className="toolbar">
        <button type="button" className="secondary" data-testid="rule-form-toggle" aria-expanded={showForm} onClick={() => setShowForm((v) => !v)}>{r.form.toggle}</button>
      </div>
      {showForm && saved && (
        <RuleFormEditor workspace={workspace} source={source} onUnauthorized={onUnauthorized}
          onAppend={(text, firstLine) => { edit(text); requestAnimationFrame(() => { if (editor.current) jumpTo(editor.current, firstLine, 1); }); }} />
      )}

      <RulesEditor value={source} onChange={edit} errors={errors} label={r.editorLabel} textareaRef={editor} disabled={!saved} />

      {errors.length > 0 && (
        <div className="error rule-errors" role="alert">
          <p>{r.errorsTitle(errors.length)}</p>
          <ul data-testid="rules-errors">
            {errors.map((e, i) => (
              <li key={i}>
                <button type="button" className="link" data-testid="rules-error"
                  onClick={() => { if (editor.current) jumpTo(editor.current, e.line, e.column, e.length); }}>
                  {r.errorAt(e.line, e.column, locale === 'de' && e.messageDe ? e.messageDe : e.message)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <div className="toolbar">
        <button type="button" className="secondary" data-testid="rules-test" disabled={!saved || busy !== null} onClick={() => void test()}>
          {busy === 'test' ? r.testing : r.test}
        </button>
        <button type="button" data-testid="rules-save" disabled={!saved || busy !== null} onClick={() => void save()}>
          {busy === 'save' ? r.saving : r.save}
        </button>
        {message && (
          <p className={message.ok ? 'notice' : 'error'} role={message.ok ? 'status' : 'alert'} data-testid="rules-message">{message.text}</p>
        )}
      </div>

      {result && <TestResult result={result} days={TEST_DAYS} revealToxic={revealToxic} />}

      <RulesHelp />
    </section>
  );
}
