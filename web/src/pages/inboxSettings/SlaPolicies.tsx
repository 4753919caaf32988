// SLA policies in matching order; the whole list is saved at once (the API replaces it).
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { FieldError } from './FieldError.js';
import { fieldErrors, type Policy, type settingsApi } from './settingsApi.js';

interface Props { api: ReturnType<typeof settingsApi>; policies: Policy[]; canEdit: boolean; onChanged: () => void }

interface Draft { name: string; platforms: string; labels: string; priorities: string; first: string; next: string; resolution: string; businessHours: boolean }
const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
const minutes = (s: string) => (s.trim() === '' ? null : Number(s));
const toDraft = (p: Policy): Draft => ({
  name: p.name, platforms: p.platforms.join(', '), labels: p.labels.join(', '), priorities: p.priorities.join(', '),
  first: p.firstResponseMinutes?.toString() ?? '', next: p.nextResponseMinutes?.toString() ?? '', resolution: p.resolutionMinutes?.toString() ?? '', businessHours: p.businessHours,
});
const toPolicy = (d: Draft): Policy => ({
  name: d.name, platforms: list(d.platforms), labels: list(d.labels), priorities: list(d.priorities).map(Number),
  firstResponseMinutes: minutes(d.first), nextResponseMinutes: minutes(d.next), resolutionMinutes: minutes(d.resolution), businessHours: d.businessHours,
});

export function SlaPolicies({ api, policies, canEdit, onChanged }: Props) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const [drafts, setDrafts] = useState<Draft[]>(() => policies.map(toDraft));
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [other, setOther] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  const change = (i: number, patch: Partial<Draft>) => setDrafts(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));

  async function save() {
    setErrors(null);
    setOther(null);
    setSaved(false);
    try {
      await api.savePolicies(drafts.map(toPolicy));
      setSaved(true);
      onChanged();
    } catch (err) {
      const f = fieldErrors(err, t);
      if (f) setErrors(f); else setOther(err);
    }
  }

  const text = (i: number, key: keyof Draft, field: string, label: string) => (
    <label className="field"><span>{label}</span>
      <input data-testid={`policy-${field}`} value={drafts[i][key] as string} onChange={(e) => change(i, { [key]: e.target.value })} />
      <FieldError errors={errors} field={`policies.${i}.${field}`} />
    </label>
  );

  return (
    <section className="settings-section" aria-labelledby="policies-title" data-testid="settings-policies">
      <h2 id="policies-title">{s.policies}</h2>
      <p className="muted">{s.policiesIntro}</p>
      {drafts.length === 0 && <p className="empty">{s.noPolicies}</p>}
      <fieldset disabled={!canEdit}>
        {drafts.map((d, i) => (
          <div key={i} className="settings-form" data-testid="policy">
            {text(i, 'name', 'name', s.name)}
            {text(i, 'platforms', 'platforms', s.platforms)}
            {text(i, 'labels', 'labels', s.labelsCondition)}
            {text(i, 'priorities', 'priorities', s.priorities)}
            {text(i, 'first', 'firstResponseMinutes', s.firstResponse)}
            {text(i, 'next', 'nextResponseMinutes', s.nextResponse)}
            {text(i, 'resolution', 'resolutionMinutes', s.resolution)}
            <label className="field-inline">
              <input type="checkbox" checked={d.businessHours} onChange={(e) => change(i, { businessHours: e.target.checked })} />
              <span>{s.businessHours}</span>
            </label>
            {canEdit && i > 0 && <button type="button" className="secondary" onClick={() => setDrafts([...drafts.slice(0, i - 1), d, drafts[i - 1], ...drafts.slice(i + 1)])}>{s.moveUp}</button>}
            {canEdit && <button type="button" className="secondary" onClick={() => setDrafts(drafts.filter((_, j) => j !== i))}>{s.remove}</button>}
          </div>
        ))}
        <FieldError errors={errors} field="policies" />
        {canEdit && <>
          <button type="button" className="secondary" data-testid="policy-add"
            onClick={() => setDrafts([...drafts, { name: '', platforms: '', labels: '', priorities: '', first: '60', next: '', resolution: '', businessHours: true }])}>{s.addPolicy}</button>
          <button type="button" data-testid="policies-save" onClick={() => void save()}>{s.save}</button>
        </>}
      </fieldset>
      {saved && <p className="notice" role="status">{s.saved}</p>}
      {other !== null && <p className="error" role="alert">{errorText(other, t)}</p>}
    </section>
  );
}
