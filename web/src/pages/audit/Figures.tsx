// Figures per person, rule and model: volume, share overturned, median time to action; each
// heading carries its definition, so nobody has to guess what a number means.
import { useState } from 'react';
import { useApiData } from '../../useLoader.js';
import { errorText } from '../../errors.js';
import { formatDuration, formatPercent, useI18n } from '../../i18n.js';
import { moderation, type Figures as FiguresData } from '../../moderationApi.js';

const PERIODS = [7, 30, 90, 365];

export function Figures({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const a = t.audit;
  const [days, setDays] = useState(30);
  const { data, error, loading } = useApiData<FiguresData>((signal) => moderation.figures(workspace, days, signal), [workspace, days], onUnauthorized);

  // The server explains its figures in English; in German the translation is ours.
  const definition = (key: 'volume' | 'overturned' | 'medianSeconds') =>
    (locale === 'en' ? data?.definitions?.[key] : undefined) ?? a.definitions[key];
  const actors = data?.actors ?? [];
  const cols = a.figureColumns;

  return (
    <section className="figures" aria-labelledby="figures-title" aria-busy={loading}>
      <div className="page-head">
        <h2 id="figures-title">{a.figuresTitle}</h2>
        <label className="field-inline">
          <span>{a.figuresPeriod}</span>
          <select data-testid="figures-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {PERIODS.map((n) => <option key={n} value={n}>{a.lastDays(n)}</option>)}
          </select>
        </label>
      </div>
      {error !== null && <p className="error" role="alert">{a.figuresLoadFailed} {errorText(error, t)}</p>}
      {loading && !data && <p className="muted">{t.loading}</p>}
      {data && actors.length === 0 && <p className="empty" data-testid="figures-empty">{a.figuresEmpty}</p>}
      {actors.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{cols.actor}</th>
                <th scope="col" className="num">{cols.volume}<small className="definition">{definition('volume')}</small></th>
                <th scope="col" className="num">{cols.overturned}<small className="definition">{definition('overturned')}</small></th>
                <th scope="col" className="num">{cols.median}<small className="definition">{definition('medianSeconds')}</small></th>
              </tr>
            </thead>
            <tbody>
              {actors.map((row, i) => (
                <tr key={`${row.kind}-${row.actor ?? ''}-${i}`} data-testid="figures-row">
                  <th scope="row">
                    <span className="kind-tag">{t.actorKinds[row.kind] ?? row.kind}</span> {row.actor ?? '–'}
                  </th>
                  <td className="num">{row.volume}</td>
                  <td className="num">{typeof row.overturned === 'number' ? formatPercent(row.overturned, locale) : '–'}</td>
                  <td className="num">{typeof row.medianSeconds === 'number' ? formatDuration(row.medianSeconds, locale) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
