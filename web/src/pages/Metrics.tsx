// The inbox figures: response and resolution times, response rates, volume by hour and weekday,
// broken down by platform, team, person or period; each with its written definition; CSV export;
// and the list of SLA breaches.
import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { formatDuration, formatPercent, useI18n } from '../i18n.js';
import { GROUP_BYS, sla, type Figures, type GroupBy, type Metrics as MetricsData, type MetricsQuery } from '../slaApi.js';
import { saveFile } from './audit/saveFile.js';
import { AlertList } from './metrics/AlertList.js';
import { TimeFigure } from './metrics/TimeFigure.js';
import { VolumeChart } from './metrics/VolumeChart.js';
import './metrics/metrics.css';

// The platforms the server knows (src/core/platforms.ts).
const PLATFORMS = ['bluesky', 'mastodon', 'email', 'facebook', 'instagram', 'threads', 'youtube', 'tiktok', 'x', 'linkedin', 'reddit', 'discord', 'telegram', 'whatsapp', 'website', 'forum', 'other'];

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
/** Local midnight of a date input's day, as an instant. */
const startOf = (date: string) => new Date(`${date}T00:00:00`);
const nextDay = (date: string) => { const d = startOf(date); d.setDate(d.getDate() + 1); return d; };

export function Metrics({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const m = t.metrics;
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 29 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const [groupBy, setGroupBy] = useState<GroupBy>('none');
  const [platform, setPlatform] = useState('');
  const [data, setData] = useState<MetricsData | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [csvError, setCsvError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);

  const query: MetricsQuery | null = useMemo(() => {
    if (!/^\d{4}-\d\d-\d\d$/.test(from) || !/^\d{4}-\d\d-\d\d$/.test(to) || from > to) return null;
    return { from: startOf(from).toISOString(), to: nextDay(to).toISOString(), groupBy, platform: platform || undefined };
  }, [from, to, groupBy, platform]);

  useEffect(() => {
    if (!query) return;
    const ctrl = new AbortController();
    setLoading(true);
    sla.metrics(workspace, query, ctrl.signal).then(
      (d) => { setData(d); setError(null); setLoading(false); },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return onUnauthorized();
        setError(err);
        setLoading(false);
      });
    return () => ctrl.abort();
  }, [workspace, query, onUnauthorized]);

  async function downloadCsv() {
    if (!query) return;
    setCsvError(null);
    try {
      saveFile(await sla.metricsCsv(workspace, query), `allmende-inbox-${from}-${to}.csv`);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setCsvError(err);
    }
  }

  const total = data?.total;
  const percent = (v: number | null) => (v == null ? '–' : formatPercent(v, locale));
  const median = (v: number | null) => (v == null ? '–' : formatDuration(v, locale));
  const hours = useMemo(() => Array.from({ length: 24 }, (_, h) => String(h)), []);

  return (
    <section aria-labelledby="metrics-title" aria-busy={loading}>
      <div className="page-head">
        <h1 id="metrics-title">{m.title}</h1>
      </div>
      <p className="muted">{m.intro}</p>
      <div className="toolbar">
        <label className="field-inline"><span>{m.from}</span><input type="date" data-testid="metrics-from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label className="field-inline"><span>{m.to}</span><input type="date" data-testid="metrics-to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label className="field-inline"><span>{m.groupBy}</span>
          <select data-testid="metrics-group" value={groupBy} onChange={(e) => setGroupBy(e.target.value as GroupBy)}>
            {GROUP_BYS.map((g) => <option key={g} value={g}>{m.groups[g]}</option>)}
          </select>
        </label>
        <label className="field-inline"><span>{m.platform}</span>
          <select data-testid="metrics-platform" value={platform} onChange={(e) => setPlatform(e.target.value)}>
            <option value="">{m.allPlatforms}</option>
            {PLATFORMS.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <button type="button" className="secondary" data-testid="metrics-csv" onClick={() => void downloadCsv()} disabled={!query}>{m.csv}</button>
      </div>
      {error !== null && <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>}
      {csvError !== null && <p className="error" role="alert">{m.csvFailed} {errorText(csvError, t)}</p>}
      {loading && !data && <p className="muted">{t.loading}</p>}
      {data && total && total.inbound === 0 && <p className="empty" data-testid="metrics-empty">{m.empty}</p>}
      {data && total && total.inbound > 0 && (
        <div data-testid="metrics-loaded" data-from={data.from} data-to={data.to}>
          <p className="small muted">{m.timeZone(data.timeZone)} {m.definitions.clocks}</p>
          <div className="metric-grid">
            <TimeFigure name={m.figures.firstResponse} definition={m.definitions.firstResponse} wall={total.firstResponse.wall} business={total.firstResponse.business} open={m.unanswered(total.firstResponse.unanswered)} testId="metric-first" />
            <TimeFigure name={m.figures.nextResponse} definition={m.definitions.nextResponse} wall={total.nextResponse.wall} business={total.nextResponse.business} open={m.unanswered(total.nextResponse.unanswered)} testId="metric-next" />
            <TimeFigure name={m.figures.resolution} definition={m.definitions.resolution} wall={total.resolution.wall} business={total.resolution.business} open={m.unresolved(total.resolution.unresolved)} testId="metric-resolution" />
            <section className="metric card" data-testid="metric-rate">
              <h3>{m.figures.rateAtAll}</h3>
              <p className="big" data-testid="metric-rate-all" data-value={total.responseRate.atAll ?? ''}>{percent(total.responseRate.atAll)}</p>
              <p className="small muted">{total.responseRate.answered} {m.of(total.responseRate.needAnswer)}</p>
              <p className="definition small muted">{m.definitions.rateAtAll}</p>
              <h3>{m.figures.rateInSla}</h3>
              <p className="big" data-testid="metric-rate-sla" data-value={total.responseRate.inSla ?? ''}>{percent(total.responseRate.inSla)}</p>
              <p className="small muted">{total.responseRate.withinSla} {m.of(total.responseRate.withinSlaOf)}</p>
              <p className="definition small muted">{m.definitions.rateInSla}</p>
            </section>
          </div>
          <h2>{m.figures.volume}</h2>
          <p className="definition small muted">{m.definitions.volume}</p>
          <div className="chart-row">
            <VolumeChart title={m.byHour} labels={hours} values={data.volume.byHour} unit={m.items} testId="volume-hour" />
            <VolumeChart title={m.byWeekday} labels={m.weekdays} values={data.volume.byWeekday} unit={m.items} testId="volume-weekday" />
          </div>
          {data.groups.length > 0 && <Breakdown groups={data.groups} percent={percent} median={median} />}
        </div>
      )}
      <AlertList workspace={workspace} onUnauthorized={onUnauthorized} />
    </section>
  );
}

function Breakdown({ groups, percent, median }: { groups: Figures[]; percent: (v: number | null) => string; median: (v: number | null) => string }) {
  const { t } = useI18n();
  const c = t.metrics.columns;
  return (
    <div className="table-wrap">
      <table className="table" data-testid="metrics-breakdown">
        <thead>
          <tr>
            <th scope="col">{c.group}</th><th scope="col" className="num">{c.conversations}</th><th scope="col" className="num">{c.inbound}</th>
            <th scope="col" className="num">{c.firstResponse}</th><th scope="col" className="num">{c.nextResponse}</th><th scope="col" className="num">{c.resolution}</th>
            <th scope="col" className="num">{c.rateAtAll}</th><th scope="col" className="num">{c.rateInSla}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => (
            <tr key={g.group} data-testid="metrics-group-row" data-group={g.group}>
              <th scope="row">{g.group}</th>
              <td className="num">{g.conversations}</td>
              <td className="num">{g.inbound}</td>
              <td className="num" data-seconds={g.firstResponse.wall.p50 ?? ''}>{median(g.firstResponse.wall.p50)}</td>
              <td className="num" data-seconds={g.nextResponse.wall.p50 ?? ''}>{median(g.nextResponse.wall.p50)}</td>
              <td className="num" data-seconds={g.resolution.wall.p50 ?? ''}>{median(g.resolution.wall.p50)}</td>
              <td className="num">{percent(g.responseRate.atAll)}</td>
              <td className="num">{percent(g.responseRate.inSla)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
