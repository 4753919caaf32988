// "Falschinformationen": the claims overview (per claim items, platforms, first seen, share
// answered, rising alert, CSV export, import, add) and the suspected campaigns with one action
// for all their items. Claim texts, samples and handles are user content: text only.
import { useState, type FormEvent } from 'react';
import { download } from '../../api.js';
import { errorText } from '../../errors.js';
import { formatDateTime, formatPercent, useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { saveFile } from '../audit/saveFile.js';
import { misinfoApi } from './misinfoApi.js';
import { CampaignView } from './CampaignView.js';
import { MisinfoSources } from './MisinfoSources.js';

interface Props { workspace: string; onUnauthorized: () => void }

export function Misinfo({ workspace, onUnauthorized }: Props) {
  const { t } = useI18n();
  const m = t.misinfo;
  const [tab, setTab] = useState<'claims' | 'campaigns' | 'sources'>('claims');
  return (
    <section className="misinfo" aria-labelledby="misinfo-title" data-testid="misinfo-page">
      <div className="page-head"><h1 id="misinfo-title">{m.title}</h1></div>
      <p className="muted">{m.intro}</p>
      <div role="tablist" className="tabs">
        <button type="button" role="tab" aria-selected={tab === 'claims'} data-testid="misinfo-tab-claims" onClick={() => setTab('claims')}>{m.tabClaims}</button>
        <button type="button" role="tab" aria-selected={tab === 'campaigns'} data-testid="misinfo-tab-campaigns" onClick={() => setTab('campaigns')}>{m.tabCampaigns}</button>
        <button type="button" role="tab" aria-selected={tab === 'sources'} data-testid="misinfo-tab-sources" onClick={() => setTab('sources')}>{m.tabSources}</button>
      </div>
      {tab === 'claims' && <Claims workspace={workspace} onUnauthorized={onUnauthorized} />}
      {tab === 'campaigns' && <Campaigns workspace={workspace} onUnauthorized={onUnauthorized} />}
      {tab === 'sources' && <MisinfoSources workspace={workspace} onUnauthorized={onUnauthorized} />}
    </section>
  );
}

function Claims({ workspace, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const m = t.misinfo;
  const api = misinfoApi(workspace);
  const { data, error, reload } = useApiData((signal) => api.overview(signal), [workspace], onUnauthorized);
  const [notice, setNotice] = useState<string | null>(null);
  const [format, setFormat] = useState<'claimreview' | 'csv'>('claimreview');
  const [form, setForm] = useState({ textDe: '', textEn: '', verdict: 'false', factCheckUrl: '', replyDe: '', replyEn: '' });

  async function importFile(file: File) {
    try {
      const r = await api.importClaims(format, await file.text(), file.name);
      setNotice(m.imported(r.added, r.alreadyKnown));
      reload();
    } catch (err) { setNotice(errorText(err, t)); }
  }
  async function add(e: FormEvent) {
    e.preventDefault();
    try {
      await api.addClaim({ ...form, factCheckUrl: form.factCheckUrl || null });
      setForm({ textDe: '', textEn: '', verdict: 'false', factCheckUrl: '', replyDe: '', replyEn: '' });
      setNotice(null);
      reload();
    } catch (err) { setNotice(errorText(err, t)); }
  }
  async function exportCsv() {
    try { saveFile(await download('/misinfo/claims/overview?format=csv', { workspace }), 'claims.csv'); } catch (err) { setNotice(errorText(err, t)); }
  }
  const field = (k: keyof typeof form, label: string, area = false) => (
    <label className="field">
      <span>{label}</span>
      {area ? <textarea value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} /> : <input value={form[k]} onChange={(e) => setForm({ ...form, [k]: e.target.value })} />}
    </label>
  );
  return (
    <div>
      {error !== null && <div className="error" role="alert"><p>{m.loadFailed} {errorText(error, t)}</p><button type="button" onClick={reload}>{t.retry}</button></div>}
      {notice && <p role="status" data-testid="misinfo-notice">{notice}</p>}
      {data && data.claims.length === 0 && <p className="empty">{m.noClaims}</p>}
      {data && data.claims.length > 0 && (
        <>
          <button type="button" className="secondary" onClick={() => void exportCsv()}>{m.exportCsv}</button>
          <table className="misinfo-claims" data-testid="misinfo-claims">
            <thead><tr><th>{m.claim}</th><th>{m.verdict}</th><th>{m.items}</th><th>{m.firstSeen}</th><th>{m.platforms}</th><th>{m.answered}</th></tr></thead>
            <tbody>
              {data.claims.map((c) => (
                <tr key={c.id} data-testid="misinfo-claim-row">
                  <td>{c.textDe ?? c.textEn} {c.rising && <span className="tag warn" title={m.risingTitle(c.lastDay)}>{m.rising}</span>}</td>
                  <td>{m.verdicts[c.verdict] ?? c.verdict}</td>
                  <td>{c.items} <DaysSpark days={c.days} /></td>
                  <td>{c.firstSeen ? formatDateTime(c.firstSeen, locale) : '–'}</td>
                  <td>{Object.entries(c.platforms).map(([p, n]) => `${p} ${n}`).join(', ') || '–'}</td>
                  <td>{c.answeredShare === null ? '–' : formatPercent(c.answeredShare, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h2>{m.importTitle}</h2>
      <div className="field-inline">
        <label><span>{m.importFormat} </span>
          <select value={format} onChange={(e) => setFormat(e.target.value as 'claimreview' | 'csv')}><option value="claimreview">ClaimReview (JSON-LD)</option><option value="csv">CSV</option></select>
        </label>
        <label><span>{m.importFile} </span><input type="file" accept=".json,.jsonld,.csv,.txt" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); }} /></label>
      </div>
      <h2>{m.addTitle}</h2>
      <form onSubmit={(e) => void add(e)} className="misinfo-add">
        {field('textDe', m.textDe, true)}
        {field('textEn', m.textEn, true)}
        <label className="field"><span>{m.verdict}</span>
          <select value={form.verdict} onChange={(e) => setForm({ ...form, verdict: e.target.value })}>
            {Object.entries(m.verdicts).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </label>
        {field('factCheckUrl', m.factCheckUrl)}
        {field('replyDe', m.replyDe, true)}
        {field('replyEn', m.replyEn, true)}
        <button type="submit">{m.add}</button>
      </form>
    </div>
  );
}

/** Items per day of the last two weeks as a row of bars (a chart, not a number). */
function DaysSpark({ days }: { days: Record<string, number> }) {
  const keys = Object.keys(days).sort().slice(-14);
  if (keys.length < 2) return null;
  const top = Math.max(...keys.map((k) => days[k]));
  return (
    <span className="spark" aria-hidden="true">
      {keys.map((k) => <span key={k} className="spark-bar" title={`${k}: ${days[k]}`} style={{ height: `${Math.max(2, Math.round((days[k] / top) * 16))}px` }} />)}
    </span>
  );
}

function Campaigns({ workspace, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const m = t.misinfo;
  const { data, error, reload } = useApiData((signal) => misinfoApi(workspace).campaigns(signal), [workspace], onUnauthorized);
  const [open, setOpen] = useState<number | null>(null);
  if (open !== null) return <CampaignView workspace={workspace} id={open} onBack={() => { setOpen(null); reload(); }} onUnauthorized={onUnauthorized} />;
  return (
    <div>
      {error !== null && <div className="error" role="alert"><p>{m.loadFailed} {errorText(error, t)}</p><button type="button" onClick={reload}>{t.retry}</button></div>}
      {data && data.campaigns.length === 0 && <p className="empty">{m.noCampaigns}</p>}
      <ul className="misinfo-campaigns">
        {data?.campaigns.map((c) => (
          <li key={c.id} data-testid="misinfo-campaign-row">
            <button type="button" className="link" onClick={() => setOpen(c.id)}>{m.campaign(c.id)}</button>
            {' '}<span className="muted">{c.items} {m.items} · {c.accounts} {m.accounts} · {c.platforms.join(', ')} · {formatDateTime(c.firstSeen, locale)} – {formatDateTime(c.lastSeen, locale)}</span>
            <p className="misinfo-sample">{c.sample}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
