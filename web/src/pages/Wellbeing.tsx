// "Belastung": harmful items each person was shown per day, for managers – a bar per person and a
// table per day. Names are user content: text only.
import { useState } from 'react';
import { ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { useI18n } from '../i18n.js';
import { moderation } from '../moderationApi.js';
import { useApiData } from '../useLoader.js';

const PERIODS = [7, 14, 30, 90];

export function Wellbeing({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const b = t.wellbeing;
  const [days, setDays] = useState(14);
  const { data, error, loading, reload } = useApiData((signal) => moderation.wellbeing(workspace, days, signal), [workspace, days], onUnauthorized);

  const forbidden = error instanceof ApiError && error.status === 403;
  const rows = data?.people ?? [];
  const dayList = [...new Set(rows.map((r) => r.day))].sort().reverse();
  const people = new Map<string, { name: string; total: number; max: number; perDay: Map<string, number> }>();
  for (const r of rows) {
    const p = people.get(r.userId) ?? { name: r.name, total: 0, max: 0, perDay: new Map() };
    p.total += r.items;
    p.max = Math.max(p.max, r.items);
    p.perDay.set(r.day, r.items);
    people.set(r.userId, p);
  }
  const sorted = [...people.entries()].sort((a, b2) => b2[1].total - a[1].total);
  const top = Math.max(1, ...sorted.map(([, p]) => p.total));
  const dayName = (d: string) => new Intl.DateTimeFormat(locale, { weekday: 'short', day: 'numeric', month: 'numeric' }).format(new Date(`${d}T12:00:00`));

  return (
    <section className="wellbeing" aria-labelledby="wellbeing-title" aria-busy={loading} data-testid="wellbeing-page">
      <div className="page-head">
        <h1 id="wellbeing-title">{b.title}</h1>
        <span className="spacer" />
        <label className="field-inline">
          <span>{b.period}</span>
          <select data-testid="wellbeing-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {PERIODS.map((n) => <option key={n} value={n}>{b.lastDays(n)}</option>)}
          </select>
        </label>
      </div>
      <p className="muted">{b.intro}</p>
      {forbidden && <p className="notice" data-testid="wellbeing-forbidden">{b.managersOnly}</p>}
      {error !== null && !forbidden && (
        <div className="error" role="alert">
          <p>{b.loadFailed} {errorText(error, t)}</p>
          <button type="button" onClick={reload}>{t.retry}</button>
        </div>
      )}
      {loading && !data && !forbidden && <p className="muted">{t.loading}</p>}
      {data && sorted.length === 0 && <p className="empty" data-testid="wellbeing-empty">{b.empty}</p>}
      {sorted.length > 0 && (
        <>
          <ul className="bars" aria-label={b.perDay}>
            {sorted.map(([id, p]) => (
              <li key={id} data-testid="wellbeing-person" aria-label={b.chartLabel(p.name, p.total)}>
                <span className="bar-name">{p.name}</span>
                <span className="bar" style={{ width: `${(100 * p.total) / top}%` }} />
                <span className="bar-value" data-testid="wellbeing-total">{p.total}</span>
              </li>
            ))}
          </ul>
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">{b.person}</th>
                  <th scope="col" className="num">{b.total}</th>
                  <th scope="col" className="num">{b.busiest}</th>
                  {dayList.map((d) => <th key={d} scope="col" className="num"><time dateTime={d}>{dayName(d)}</time></th>)}
                </tr>
              </thead>
              <tbody>
                {sorted.map(([id, p]) => (
                  <tr key={id}>
                    <th scope="row">{p.name}</th>
                    <td className="num">{p.total}</td>
                    <td className="num">{p.max}</td>
                    {dayList.map((d) => <td key={d} className="num">{p.perDay.get(d) ?? ''}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
