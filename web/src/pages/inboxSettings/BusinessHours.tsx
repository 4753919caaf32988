// Business hours per weekday, the time zone and holidays, edited as short text.
import { useState, type FormEvent } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { FieldError } from './FieldError.js';
import { fieldErrors, WEEKDAYS, type Calendar, type Span, type settingsApi } from './settingsApi.js';

interface Props { api: ReturnType<typeof settingsApi>; calendar: Calendar; canEdit: boolean; onChanged: () => void }

const spansText = (spans: Span[] = []) => spans.map((s) => `${s.start}-${s.end}`).join(', ');
/** "09:00-12:00, 13:00-17:00" → spans; null when a piece is not "a-b" (the server checks the times). */
function parseSpans(text: string): Span[] | null {
  const parts = text.split(',').map((p) => p.trim()).filter(Boolean);
  const spans = parts.map((p) => /^(\S+)\s*[-–]\s*(\S+)$/.exec(p));
  return spans.every(Boolean) ? spans.map((m) => ({ start: m![1], end: m![2] })) : null;
}

export function BusinessHours({ api, calendar, canEdit, onChanged }: Props) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const [timeZone, setTimeZone] = useState(calendar.timeZone);
  const [hours, setHours] = useState<Record<string, string>>(() => Object.fromEntries(WEEKDAYS.map((d) => [d, spansText(calendar.hours[d])])));
  const [holidays, setHolidays] = useState(calendar.holidays.map((h) => `${h.date} ${h.name}`.trim()).join('\n'));
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [other, setOther] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setErrors(null);
    setOther(null);
    setSaved(false);
    const parsed: Record<string, Span[]> = {};
    const local: Record<string, string> = {};
    for (const d of WEEKDAYS) {
      const spans = parseSpans(hours[d]);
      if (spans) parsed[d] = spans; else local[`hours.${d}`] = s.badSpans;
    }
    if (Object.keys(local).length) return setErrors(local);
    const days = holidays.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
      const [date, ...name] = l.split(/\s+/);
      return { date, name: name.join(' ') };
    });
    try {
      await api.saveCalendar({ timeZone: timeZone.trim(), hours: parsed, holidays: days });
      setSaved(true);
      onChanged();
    } catch (err) {
      const f = fieldErrors(err, t);
      if (f) setErrors(f); else setOther(err);
    }
  }

  return (
    <section className="settings-section" aria-labelledby="hours-title" data-testid="settings-hours">
      <h2 id="hours-title">{s.hours}</h2>
      <p className="muted">{s.hoursIntro}</p>
      <form className="settings-form" onSubmit={submit} noValidate>
        <fieldset disabled={!canEdit}>
          <label className="field"><span>{s.timeZone}</span>
            <input data-testid="hours-time-zone" value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
            <FieldError errors={errors} field="timeZone" />
          </label>
          {WEEKDAYS.map((d) => (
            <label key={d} className="field"><span>{s.weekdays[d]}</span>
              <input data-testid={`hours-${d}`} value={hours[d]} onChange={(e) => setHours({ ...hours, [d]: e.target.value })} />
              <FieldError errors={errors} field={`hours.${d}`} />
            </label>
          ))}
          <label className="field"><span>{s.holidays}</span>
            <textarea data-testid="hours-holidays" rows={4} value={holidays} onChange={(e) => setHolidays(e.target.value)} />
            <span className="muted">{s.holidaysHint}</span>
            <FieldError errors={errors} field="holidays" />
          </label>
          {canEdit && <button type="submit" data-testid="hours-save">{s.save}</button>}
        </fieldset>
      </form>
      {saved && <p className="notice" role="status">{s.saved}</p>}
      {other !== null && <p className="error" role="alert">{errorText(other, t)}</p>}
    </section>
  );
}
