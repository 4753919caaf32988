// The community page ("Gemeinschaft"): the commons ratio and its trend, connectors, clusters with
// their terms, newcomer activation, retention by cohort, each with its written definition, and the
// interaction graph with filters by platform, period and cluster.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { personHref } from '../../nav.js';
import { formatPercent, useI18n, type Locale } from '../../i18n.js';
import { errorText } from '../../errors.js';
import { useApiData } from '../../useLoader.js';
import { commons, type Figures, type PeriodQuery, type PersonRef } from '../../commonsApi.js';
import { VolumeChart } from '../metrics/VolumeChart.js';
import { GraphView, clusterColour } from './GraphView.js';

// The platforms the server knows (src/core/platforms.ts).
const PLATFORMS = ['bluesky', 'mastodon', 'email', 'facebook', 'instagram', 'threads', 'youtube', 'tiktok', 'x', 'linkedin', 'reddit', 'discord', 'telegram', 'whatsapp', 'website', 'forum', 'feed', 'other'];

const day = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const startOf = (date: string) => new Date(`${date}T00:00:00`);
const nextDay = (date: string) => { const d = startOf(date); d.setDate(d.getDate() + 1); return d; };
const num = (n: number, locale: Locale) => n.toLocaleString(locale);

export function Commons({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const c = t.commons;
  const [from, setFrom] = useState(() => day(new Date(Date.now() - 89 * 86_400_000)));
  const [to, setTo] = useState(() => day(new Date()));
  const [platform, setPlatform] = useState('');
  const [cluster, setCluster] = useState<number | null>(null);

  const query: PeriodQuery | null = useMemo(() => {
    if (!/^\d{4}-\d\d-\d\d$/.test(from) || !/^\d{4}-\d\d-\d\d$/.test(to) || from > to) return null;
    return { from: startOf(from).toISOString(), to: nextDay(to).toISOString(), platform: platform || undefined };
  }, [from, to, platform]);

  const figures = useApiData((signal) => (query ? commons.figures(workspace, query, signal) : Promise.resolve(null)), [workspace, query], onUnauthorized);
  const graph = useApiData((signal) => (query ? commons.graph(workspace, query, signal) : Promise.resolve(null)), [workspace, query], onUnauthorized);
  const open = useCallback((id: number) => { window.location.hash = personHref(id); }, []);
  const f = figures.data;

  return (
    <section aria-labelledby="commons-title" aria-busy={figures.loading}>
      <div className="page-head"><h1 id="commons-title">{c.title}</h1></div>
      <p className="muted">{c.intro}</p>
      <div className="toolbar">
        <label className="field-inline"><span>{c.from}</span><input type="date" data-testid="commons-from" value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label className="field-inline"><span>{c.to}</span><input type="date" data-testid="commons-to" value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label className="field-inline"><span>{c.platform}</span>
          <select data-testid="commons-platform" value={platform} onChange={(e) => { setPlatform(e.target.value); setCluster(null); }}>
            <option value="">{c.allPlatforms}</option>
            {PLATFORMS.map((p) => <option key={p} value={p}>{p}</option>)}
          </select>
        </label>
        <label className="field-inline"><span>{c.clusterFilter}</span>
          <select data-testid="commons-cluster-filter" value={cluster ?? ''} onChange={(e) => setCluster(e.target.value === '' ? null : Number(e.target.value))}>
            <option value="">{c.allClusters}</option>
            {f?.clusters.described.map((cl) => <option key={cl.id} value={cl.id}>{c.cluster(cl.id)}</option>)}
          </select>
        </label>
      </div>
      {figures.error !== null && <p className="error" role="alert">{c.loadFailed} {errorText(figures.error, t)} <button type="button" onClick={figures.reload}>{t.retry}</button></p>}
      {figures.loading && !f && <p className="muted">{t.loading}</p>}
      {f?.computedAt && <Computed at={f.computedAt} locale={locale} />}
      {f && <FiguresView f={f} locale={locale} />}

      <h2>{c.figures.graph}</h2>
      <p className="definition small muted">{c.definitions.graph}</p>
      <p className="small commons-legend"><span className="swatch member" /> {c.legendMembers} <span className="swatch team" /> {c.legendTeam}</p>
      {graph.error !== null && <p className="error" role="alert">{c.graphLoadFailed} {errorText(graph.error, t)} <button type="button" onClick={graph.reload}>{t.retry}</button></p>}
      {graph.loading && !graph.data && <p className="muted">{t.loading}</p>}
      {graph.data && graph.data.nodes.length > 0 && (
        <>
          <p className="small muted" data-testid="graph-size">
            {c.graphSize(num(graph.data.nodes.length, locale), num(graph.data.edges.length, locale))}
            {graph.data.truncated.nodes > 0 && ` ${c.graphTruncated(num(graph.data.truncated.nodes, locale))}`}
          </p>
          <GraphView graph={graph.data} cluster={cluster} onOpen={open} />
        </>
      )}
    </section>
  );
}

/** How old the figures are: the server keeps an analysis for a few minutes. */
function Computed({ at, locale }: { at: string; locale: Locale }) {
  const { t } = useI18n();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => { const id = setInterval(() => setNow(Date.now()), 30_000); return () => clearInterval(id); }, []);
  const when = new Date(at);
  const minutes = Math.max(0, Math.floor((now - +when) / 60_000));
  return <p className="small muted" data-testid="commons-computed-at" data-at={at}>{t.commons.computedAt(when.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' }), minutes)}</p>;
}

function Person({ p }: { p: PersonRef }) {
  const { t } = useI18n();
  return <a href={personHref(p.id)} data-testid="person-link" data-person={p.id}>{p.name ?? t.commons.unnamed}</a>;
}

function FiguresView({ f, locale }: { f: Figures; locale: Locale }) {
  const { t } = useI18n();
  const c = t.commons;
  const pct = (v: number | null) => (v == null ? '–' : formatPercent(v, locale));
  const trendLabels = useMemo(() => f.commons.trend.map((w) => w.week.slice(5)), [f]);
  const trendValues = useMemo(() => f.commons.trend.map((w) => (w.ratio == null ? 0 : Math.round(w.ratio * 100))), [f]);
  const longest = Math.max(0, ...f.retention.map((r) => r.active.length));
  const replies = f.commons.memberToMember + f.commons.withTeam;

  return (
    <div data-testid="commons-loaded">
      <p className="small muted">{c.persons(f.persons, num(f.persons, locale))} · {c.interactions(num(f.interactions.reply, locale), num(f.interactions.mention, locale), num(f.interactions.quote, locale))}</p>
      {f.persons === 0 && <p className="empty" data-testid="commons-empty">{c.empty}</p>}
      <div className="metric-grid">
        <section className="metric card" data-testid="commons-ratio">
          <h3>{c.figures.commons}</h3>
          <p className="big" data-testid="commons-ratio-value" data-value={f.commons.ratio ?? ''}>{pct(f.commons.ratio)}</p>
          <p className="small muted">{replies ? c.ratioOf(num(f.commons.memberToMember, locale), num(replies, locale)) : c.noReplies}</p>
          <p className="definition small muted">{c.definitions.commons}</p>
        </section>
        <section className="metric card" data-testid="commons-newcomers">
          <h3>{c.figures.newcomers}</h3>
          <p className="small muted">{c.newcomerCount(num(f.newcomers.count, locale))}</p>
          <p className="big" data-testid="newcomers-answered" data-value={f.newcomers.answeredShare ?? ''}>{pct(f.newcomers.answeredShare)}</p>
          <p className="small muted">{c.answered} · {c.answeredByMembers(num(f.newcomers.answeredByMembers, locale))}</p>
          <p className="big" data-testid="newcomers-returned" data-value={f.newcomers.returnedShare ?? ''}>{pct(f.newcomers.returnedShare)}</p>
          <p className="small muted">{c.returned}</p>
          <p className="definition small muted">{c.definitions.newcomers}</p>
        </section>
      </div>
      {f.commons.trend.length > 0 && (
        <>
          <VolumeChart title={c.figures.trend} labels={trendLabels} values={trendValues} unit="%" testId="commons-trend" />
          <p className="definition small muted">{c.definitions.trend}</p>
        </>
      )}

      <h2>{c.figures.connectors}</h2>
      <p className="definition small muted">{c.definitions.connectors}</p>
      {f.connectors.length === 0 ? <p className="empty">{c.noConnectors}</p> : (
        <table className="commons-table" data-testid="commons-connectors">
          <thead><tr><th>{c.connector}</th><th>{c.betweenness}</th><th>{c.clustersReached}</th></tr></thead>
          <tbody>{f.connectors.map((p) => (
            <tr key={p.id}><td><Person p={p} /></td><td>{p.betweenness.toLocaleString(locale, { maximumFractionDigits: 3 })}</td><td>{p.clustersReached}</td></tr>
          ))}</tbody>
        </table>
      )}

      <h2>{c.figures.clusters}</h2>
      <p className="definition small muted">{c.definitions.clusters}</p>
      <p className="small muted">{c.clusterCount(f.clusters.count, num(f.clusters.count, locale), f.clusters.modularity.toLocaleString(locale, { maximumFractionDigits: 2 }))}</p>
      {f.clusters.described.length === 0 ? <p className="empty">{c.noClusters}</p> : (
        <div className="commons-clusters">
          {f.clusters.described.map((cl) => (
            <section key={cl.id} className="card commons-cluster" data-testid="commons-cluster" data-cluster={cl.id}>
              <h3><span className="swatch" ref={(el) => { if (el) el.style.background = clusterColour(cl.id); }} /> {c.cluster(cl.id)}</h3>
              <p className="small muted">{c.clusterSize(num(cl.size, locale), num(cl.items, locale))}</p>
              <p><strong>{c.terms}:</strong> {cl.terms.length ? cl.terms.map((x) => x.term).join(', ') : c.noTerms}</p>
              <p className="small"><strong>{c.mostActive}:</strong> {cl.members.map((m, i) => <span key={m.id}>{i > 0 && ', '}<Person p={m} /></span>)}</p>
            </section>
          ))}
        </div>
      )}

      <h2>{c.figures.retention}</h2>
      <p className="definition small muted">{c.definitions.retention}</p>
      <table className="commons-table commons-retention" data-testid="commons-retention">
        <thead><tr><th>{c.cohort}</th><th>{c.cohortSize}</th>{Array.from({ length: longest }, (_, k) => <th key={k}>{c.monthsLater(k)}</th>)}</tr></thead>
        <tbody>{f.retention.map((r) => (
          <tr key={r.month}>
            <th scope="row">{r.month}</th><td>{num(r.size, locale)}</td>
            {Array.from({ length: longest }, (_, k) => {
              const share = k < r.active.length && r.size ? r.active[k] / r.size : null;
              return <td key={k} ref={(el) => { if (el) el.style.background = share == null ? '' : `rgba(31, 111, 92, ${0.1 + 0.6 * share})`; }}>{share == null ? '' : pct(share)}</td>;
            })}
          </tr>
        ))}</tbody>
      </table>
    </div>
  );
}
