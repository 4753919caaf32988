// Labels and their colours.
import { useState, type FormEvent } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { FieldError } from './FieldError.js';
import { fieldErrors, type Label, type settingsApi } from './settingsApi.js';

interface Props { api: ReturnType<typeof settingsApi>; labels: Label[]; canEdit: boolean; onChanged: () => void }

export function Labels({ api, labels, canEdit, onChanged }: Props) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const [name, setName] = useState('');
  const [color, setColor] = useState('#3366cc');
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [other, setOther] = useState<unknown>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(null);
    setOther(null);
    try {
      await api.saveLabel({ name, color });
      setName('');
      onChanged();
    } catch (err) {
      const f = fieldErrors(err, t);
      if (f) setErrors(f); else setOther(err);
    }
  }

  async function remove(label: Label) {
    if (!window.confirm(s.confirmDeleteLabel(label.name))) return;
    setOther(null);
    try { await api.deleteLabel(label.name); onChanged(); } catch (err) { setOther(err); }
  }

  return (
    <section className="settings-section" aria-labelledby="labels-title" data-testid="settings-labels">
      <h2 id="labels-title">{s.labels}</h2>
      {labels.length === 0 && <p className="empty">{s.noLabels}</p>}
      <ul className="plain">
        {labels.map((l) => (
          <li key={l.name} data-testid="label">
            <input type="color" value={l.color} disabled={!canEdit} aria-label={`${s.color}: ${l.name}`}
              onChange={(e) => void api.saveLabel({ name: l.name, color: e.target.value }).then(onChanged, setOther)} /> {l.name}
            {canEdit && <button type="button" className="secondary" data-testid="label-delete" aria-label={s.deleteNamed(l.name)} onClick={() => void remove(l)}>{s.remove}</button>}
          </li>
        ))}
      </ul>
      {canEdit && (
        <form className="toolbar" onSubmit={submit} aria-label={s.addLabel} noValidate>
          <label className="field-inline"><span>{s.name}</span>
            <input data-testid="label-name" value={name} onChange={(e) => setName(e.target.value)} />
            <FieldError errors={errors} field="name" />
          </label>
          <label className="field-inline"><span>{s.color}</span>
            <input type="color" data-testid="label-color" value={color} onChange={(e) => setColor(e.target.value)} />
            <FieldError errors={errors} field="color" />
          </label>
          <button type="submit" data-testid="label-save">{s.save}</button>
        </form>
      )}
      {other !== null && <p className="error" role="alert">{errorText(other, t)}</p>}
    </section>
  );
}
