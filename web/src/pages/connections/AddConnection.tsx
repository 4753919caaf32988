// The form that connects a platform account; the server checks the credentials with the platform
// before anything is stored, and its error names the field.
import { useState, type FormEvent } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { connectionsApi, FIELDS, type Field } from './connectionsApi.js';

const initialValues = (platform: string) =>
  Object.fromEntries((FIELDS[platform] ?? []).map((f) => [f.name, f.initial ?? (f.type === 'checkbox' ? false : '')])) as Record<string, string | boolean>;

/** The form's values split into settings and credentials, numbers as numbers, empty optionals left out. */
export function toBody(platform: string, values: Record<string, string | boolean>) {
  const settings: Record<string, unknown> = {};
  const credentials: Record<string, unknown> = {};
  for (const f of FIELDS[platform] ?? []) {
    const v = values[f.name];
    if (f.optional && v === '') continue;
    (f.secret ? credentials : settings)[f.name] = f.type === 'number' ? Number(v) : v;
  }
  return { settings, credentials };
}

export function FieldInput({ field, value, onChange, prefix }: { field: Field; value: string | boolean; onChange: (v: string | boolean) => void; prefix: string }) {
  const { t } = useI18n();
  const c = t.connections;
  const id = `${prefix}-${field.name}`;
  if (field.type === 'checkbox') {
    return (
      <label className="field-inline" htmlFor={id}>
        <input id={id} data-testid={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <span>{c.fields[field.name] ?? field.name}</span>
      </label>
    );
  }
  if (field.type === 'kind') {
    return (
      <label className="field" htmlFor={id}>
        <span>{c.fields.kind}</span>
        <select id={id} data-testid={id} value={String(value)} onChange={(e) => onChange(e.target.value)}>
          <option value="comment">{c.fields.kindComment}</option>
          <option value="post">{c.fields.kindPost}</option>
        </select>
      </label>
    );
  }
  return (
    <label className="field" htmlFor={id}>
      <span>{c.fields[field.name] ?? field.name}</span>
      <input id={id} data-testid={id} type={field.type} value={String(value)} required={!field.optional}
        autoComplete={field.secret ? 'new-password' : 'off'} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

export function AddConnection({ workspace, platforms, onAdded }: { workspace: string; platforms: string[]; onAdded: () => void }) {
  const { t } = useI18n();
  const c = t.connections;
  const [platform, setPlatform] = useState(platforms[0] ?? 'feed');
  const [name, setName] = useState('');
  const [values, setValues] = useState(() => initialValues(platform));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      const res = await connectionsApi.add(workspace, platform, { name, ...toBody(platform, values) });
      setDone(res.account);
      setName('');
      setValues(initialValues(platform));
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={(e) => void submit(e)} aria-labelledby="add-title" data-testid="add-connection">
      <h3 id="add-title">{c.addTitle}</h3>
      <label className="field" htmlFor="add-platform">
        <span>{c.platform}</span>
        <select id="add-platform" data-testid="add-platform" value={platform}
          onChange={(e) => { setPlatform(e.target.value); setValues(initialValues(e.target.value)); }}>
          {platforms.map((p) => <option key={p} value={p}>{c.platforms[p] ?? p}</option>)}
        </select>
      </label>
      <label className="field" htmlFor="add-name">
        <span>{c.name}</span>
        <input id="add-name" data-testid="add-name" value={name} required maxLength={200} placeholder={c.namePlaceholder} onChange={(e) => setName(e.target.value)} />
      </label>
      {(FIELDS[platform] ?? []).map((f) => (
        <FieldInput key={`${platform}-${f.name}`} field={f} prefix="add" value={values[f.name] ?? ''} onChange={(v) => setValues((old) => ({ ...old, [f.name]: v }))} />
      ))}
      <button type="submit" data-testid="add-submit" disabled={busy}>{busy ? c.adding : c.add}</button>
      {error !== null && <p className="error" role="alert" data-testid="add-error">{errorText(error, t)}</p>}
      {done && <p className="success" role="status" data-testid="add-done">{c.added(done)}</p>}
    </form>
  );
}
