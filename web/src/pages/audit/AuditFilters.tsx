// The audit log's filters: who (kind and name), the resulting state, and a date range. The form
// holds its own values; only "Apply" hands them on.
import { useState, type FormEvent } from 'react';
import { useI18n } from '../../i18n.js';
import { ACTOR_KINDS, MODERATION_STATES, type ActorKind, type AuditFilter, type ModerationState } from '../../moderationApi.js';

export interface FilterForm {
  actorKind: ActorKind | '';
  actor: string;
  after: ModerationState | '';
  /** yyyy-mm-dd from the date inputs, in local time; empty for open. */
  from: string;
  to: string;
}

export const EMPTY_FILTER: FilterForm = { actorKind: '', actor: '', after: '', from: '', to: '' };

/** Local midnight of a yyyy-mm-dd date plus some days, as ISO; undefined if empty or malformed. */
function localDay(value: string, plusDays: number): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The API's filter: "to" includes the whole day chosen. */
export function toQuery(form: FilterForm): AuditFilter {
  return {
    actorKind: form.actorKind || undefined,
    actor: form.actor.trim() || undefined,
    after: form.after || undefined,
    from: localDay(form.from, 0),
    to: localDay(form.to, 1),
  };
}

export function AuditFilters({ initial, onApply }: { initial: FilterForm; onApply: (form: FilterForm) => void }) {
  const { t } = useI18n();
  const a = t.audit;
  const [form, setForm] = useState(initial);
  const set = <K extends keyof FilterForm>(key: K, value: FilterForm[K]) => setForm((f) => ({ ...f, [key]: value }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(form);
  }

  return (
    <form className="filters" onSubmit={submit} aria-label={a.filters}>
      <label>
        {a.actorKind}
        <select data-testid="audit-filter-kind" value={form.actorKind} onChange={(e) => set('actorKind', e.target.value as FilterForm['actorKind'])}>
          <option value="">{a.any}</option>
          {ACTOR_KINDS.map((kind) => <option key={kind} value={kind}>{t.actorKinds[kind]}</option>)}
        </select>
      </label>
      <label>
        {a.actor}
        <input data-testid="audit-filter-actor" type="text" value={form.actor} onChange={(e) => set('actor', e.target.value)} />
      </label>
      <label>
        {a.after}
        <select data-testid="audit-filter-after" value={form.after} onChange={(e) => set('after', e.target.value as FilterForm['after'])}>
          <option value="">{a.any}</option>
          {MODERATION_STATES.map((state) => <option key={state} value={state}>{t.states[state]}</option>)}
        </select>
      </label>
      <label>
        {a.from}
        <input data-testid="audit-filter-from" type="date" value={form.from} max={form.to || undefined} onChange={(e) => set('from', e.target.value)} />
      </label>
      <label>
        {a.to}
        <input data-testid="audit-filter-to" type="date" value={form.to} min={form.from || undefined} onChange={(e) => set('to', e.target.value)} />
      </label>
      <div className="filter-buttons">
        <button type="submit" data-testid="audit-apply">{a.apply}</button>
        <button type="button" className="secondary" data-testid="audit-reset"
          onClick={() => { setForm(EMPTY_FILTER); onApply(EMPTY_FILTER); }}>{a.reset}</button>
      </div>
    </form>
  );
}
