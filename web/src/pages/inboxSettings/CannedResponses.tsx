// Canned responses per language, with the variables the server fills in.
import { useState, type FormEvent } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { FieldError } from './FieldError.js';
import { fieldErrors, VARIABLES, type Canned, type settingsApi } from './settingsApi.js';

interface Props { api: ReturnType<typeof settingsApi>; canned: Canned[]; canEdit: boolean; onChanged: () => void }

export function CannedResponses({ api, canned, canEdit, onChanged }: Props) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const [editing, setEditing] = useState<Canned | 'new' | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function remove(c: Canned) {
    if (!window.confirm(s.confirmDelete(c.name))) return;
    try { await api.deleteCanned(c.id); onChanged(); } catch (err) { setError(err); }
  }

  return (
    <section className="settings-section" aria-labelledby="canned-title" data-testid="settings-canned">
      <h2 id="canned-title">{s.canned}</h2>
      {canned.length === 0 && <p className="empty">{s.noCanned}</p>}
      <ul className="plain">
        {canned.map((c) => (
          <li key={c.id} data-testid="canned" data-name={c.name}>
            <strong>{c.name}</strong> ({c.language === 'any' ? s.anyLanguage : c.language})
            <p className="muted pre-wrap">{c.body}</p>
            {canEdit && <>
              <button type="button" className="secondary" onClick={() => setEditing(c)}>{s.edit}</button>
              <button type="button" className="secondary" onClick={() => void remove(c)}>{s.remove}</button>
            </>}
          </li>
        ))}
      </ul>
      {error !== null && <p className="error" role="alert">{errorText(error, t)}</p>}
      {canEdit && !editing && <button type="button" data-testid="canned-new" onClick={() => setEditing('new')}>{s.newCanned}</button>}
      {editing && <CannedForm key={editing === 'new' ? 'new' : editing.id} api={api} canned={editing === 'new' ? null : editing}
        onDone={() => { setEditing(null); onChanged(); }} onCancel={() => setEditing(null)} />}
    </section>
  );
}

function CannedForm({ api, canned, onDone, onCancel }: { api: Props['api']; canned: Canned | null; onDone: () => void; onCancel: () => void }) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const [name, setName] = useState(canned?.name ?? '');
  const [language, setLanguage] = useState(canned?.language ?? 'any');
  const [body, setBody] = useState(canned?.body ?? '');
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [other, setOther] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(null);
    setOther(null);
    try {
      await api.saveCanned(canned?.id ?? null, { name, language: language.trim(), body });
      onDone();
    } catch (err) {
      const f = fieldErrors(err, t);
      if (f) setErrors(f); else setOther(err);
    }
  }

  return (
    <form className="settings-form" onSubmit={submit} data-testid="canned-form" noValidate>
      <label className="field"><span>{s.name}</span>
        <input data-testid="canned-name" value={name} onChange={(e) => setName(e.target.value)} />
        <FieldError errors={errors} field="name" />
      </label>
      <label className="field"><span>{s.language}</span>
        <input data-testid="canned-language" value={language} list="canned-languages" onChange={(e) => setLanguage(e.target.value)} />
        <datalist id="canned-languages"><option value="any" /><option value="de" /><option value="en" /></datalist>
        <FieldError errors={errors} field="language" />
      </label>
      <label className="field"><span>{s.body}</span>
        <textarea data-testid="canned-body" rows={5} value={body} onChange={(e) => setBody(e.target.value)} />
        <FieldError errors={errors} field="body" />
      </label>
      <div className="muted" data-testid="canned-variables">
        {s.variablesHelp}
        <ul>{VARIABLES.map((v) => <li key={v}><code>{`{{${v}}}`}</code> – {s.variables[v]}</li>)}</ul>
      </div>
      {other !== null && <p className="error" role="alert">{errorText(other, t)}</p>}
      <button type="submit" data-testid="canned-save">{s.save}</button>
      <button type="button" className="secondary" onClick={onCancel}>{s.cancel}</button>
    </form>
  );
}
