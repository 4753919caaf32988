// The rules as a form: conditions, exceptions and actions as fields. The form writes rule text
// (ruleText.ts) – shown as it is written – and the server's parser checks it; an error names the
// line of the new rule. "Add" appends the text to the text editor, where it is tested and saved.
import { useState } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { moderation, type RuleError } from '../../moderationApi.js';
import { ACTION_NEEDS_VALUE, ACTIONS, appendRule, FIELDS, NO_VALUE, operatorsFor, ruleText, type ConditionForm, type RuleForm } from './ruleText.js';

interface Props {
  workspace: string;
  source: string;
  onAppend: (text: string, firstLine: number) => void;
  onUnauthorized: () => void;
}

const EMPTY: RuleForm = {
  name: '', join: 'or', when: [{ field: 'words.insult', op: '>=', value: '1' }], unless: [], actions: [{ action: 'hold', value: '' }], reason: '', priority: '',
};

function Condition({ c, onChange, onRemove, testId }: { c: ConditionForm; onChange: (c: ConditionForm) => void; onRemove: () => void; testId: string }) {
  const { t, locale } = useI18n();
  const f = t.rules.form;
  const ops = operatorsFor(c.field);
  const opName = (op: string) => f.flag[op] ?? op;
  return (
    <div className="row" data-testid={testId}>
      <select aria-label={f.field} data-testid="condition-field" value={c.field}
        onChange={(e) => { const field = e.target.value; const next = operatorsFor(field); onChange({ field, op: next.includes(c.op) ? c.op : next[0], value: c.value }); }}>
        {FIELDS.map((x) => <option key={x.name} value={x.name}>{x.name}</option>)}
      </select>
      <select aria-label={f.op} data-testid="condition-op" value={c.op} onChange={(e) => onChange({ ...c, op: e.target.value })}>
        {ops.map((op) => <option key={op} value={op}>{opName(op)}</option>)}
      </select>
      {!NO_VALUE.has(c.op) && (
        <input aria-label={f.value} data-testid="condition-value" value={c.value} maxLength={1000} title={f.valueHint}
          lang={locale} onChange={(e) => onChange({ ...c, value: e.target.value })} />
      )}
      <button type="button" className="secondary" onClick={onRemove}>{f.remove}</button>
    </div>
  );
}

export function RuleFormEditor({ workspace, source, onAppend, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const f = t.rules.form;
  const [form, setForm] = useState<RuleForm>(EMPTY);
  const [errors, setErrors] = useState<RuleError[] | null>(null);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const text = ruleText(form);
  const set = (patch: Partial<RuleForm>) => { setForm((old) => ({ ...old, ...patch })); setErrors(null); setMessage(null); };

  /** Checks the rule together with the existing ones (names must be unique); errors in the new rule are told by its own lines. */
  async function check(): Promise<boolean> {
    setBusy(true);
    setMessage(null);
    try {
      const { text: whole, firstLine } = appendRule(source, text);
      const result = await moderation.checkRules(workspace, whole);
      const mine = result.errors.map((e) => ({ ...e, line: e.line - firstLine + 1 }));
      setErrors(mine);
      if (result.ok) setMessage({ ok: true, text: f.checkOk });
      return result.ok;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthorized();
      else setMessage({ ok: false, text: errorText(err, t) });
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function add() {
    if (!(await check())) return;
    const { text: whole, firstLine } = appendRule(source, text);
    onAppend(whole, firstLine);
    setForm(EMPTY);
    setErrors(null);
    setMessage({ ok: true, text: f.added(firstLine) });
  }

  const conditionList = (key: 'when' | 'unless') => form[key].map((c, i) => (
    <Condition key={i} c={c} testId={`rule-form-${key}`}
      onChange={(next) => set({ [key]: form[key].map((x, j) => (j === i ? next : x)) })}
      onRemove={() => set({ [key]: form[key].filter((_, j) => j !== i) })} />
  ));
  const hasAction = (a: string) => form.actions.some((x) => x.action === a);

  return (
    <section className="rule-form" aria-labelledby="rule-form-title" data-testid="rule-form">
      <h2 id="rule-form-title">{f.title}</h2>
      <p className="muted">{f.intro}</p>
      <div className="row">
        <label className="field-inline"><span>{f.name}</span>
          <input data-testid="rule-form-name" value={form.name} maxLength={200} onChange={(e) => set({ name: e.target.value })} />
        </label>
      </div>
      <fieldset>
        <legend>{f.when}</legend>
        {conditionList('when')}
        <div className="row">
          <button type="button" className="secondary" data-testid="rule-form-add-condition"
            onClick={() => set({ when: [...form.when, { field: 'score.offensive', op: '>=', value: '0.9' }] })}>{f.addCondition}</button>
          {form.when.length > 1 && (
            <label className="field-inline"><span>{f.join}</span>
              <select data-testid="rule-form-join" value={form.join} onChange={(e) => set({ join: e.target.value as 'and' | 'or' })}>
                {(['or', 'and'] as const).map((j) => <option key={j} value={j}>{f.joins[j]}</option>)}
              </select>
            </label>
          )}
        </div>
      </fieldset>
      <fieldset>
        <legend>{f.unless}</legend>
        {conditionList('unless')}
        <button type="button" className="secondary" data-testid="rule-form-add-exception"
          onClick={() => set({ unless: [...form.unless, { field: 'author.trusted', op: 'yes', value: '' }] })}>{f.addException}</button>
      </fieldset>
      <fieldset>
        <legend>{f.then}</legend>
        <div className="row">
          {ACTIONS.map((a) => (
            <label key={a} className="toggle">
              <input type="checkbox" data-testid={`rule-form-action-${a}`} checked={hasAction(a)}
                onChange={(e) => set({ actions: e.target.checked ? [...form.actions, { action: a, value: '' }] : form.actions.filter((x) => x.action !== a) })} />
              <code>{a}</code>
            </label>
          ))}
        </div>
        {form.actions.filter((a) => ACTION_NEEDS_VALUE.has(a.action)).map((a) => (
          <div className="row" key={a.action}>
            <label className="field-inline"><span>{f.actionValue(a.action)}</span>
              <input data-testid={`rule-form-value-${a.action}`} value={a.value} maxLength={200}
                onChange={(e) => set({ actions: form.actions.map((x) => (x.action === a.action ? { ...x, value: e.target.value } : x)) })} />
            </label>
          </div>
        ))}
      </fieldset>
      <div className="row">
        <label className="field-inline"><span>{f.reason}</span>
          <input data-testid="rule-form-reason" value={form.reason} maxLength={500} size={40} onChange={(e) => set({ reason: e.target.value })} />
        </label>
        <label className="field-inline"><span>{f.priority}</span>
          <input data-testid="rule-form-priority" value={form.priority} inputMode="numeric" size={6} onChange={(e) => set({ priority: e.target.value })} />
        </label>
      </div>

      <h3>{f.preview}</h3>
      <pre data-testid="rule-form-text">{text}</pre>
      {errors && errors.length > 0 && (
        <ul className="error rule-errors" role="alert" data-testid="rule-form-errors">
          {errors.map((e, i) => (
            <li key={i} data-testid="rule-form-error" data-line={e.line}>
              {f.errorInRule(e.line, e.column, locale === 'de' && e.messageDe ? e.messageDe : e.message)}
            </li>
          ))}
        </ul>
      )}
      <div className="toolbar">
        <button type="button" className="secondary" data-testid="rule-form-check" disabled={busy} onClick={() => void check()}>{busy ? f.checking : f.check}</button>
        <button type="button" data-testid="rule-form-add" disabled={busy} onClick={() => void add()}>{f.add}</button>
        {message && <p className={message.ok ? 'notice' : 'error'} role={message.ok ? 'status' : 'alert'} data-testid="rule-form-message">{message.text}</p>}
      </div>
    </section>
  );
}
