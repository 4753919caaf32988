// "Quellen & Einstellungen": the workspace's domain list (add, change category and note, delete
// after asking, CSV import and export) and the misinformation settings (short links, thresholds
// of campaigns, link waves and newcomer bursts). Domains and notes are user content: text only.
import { useEffect, useState, type FormEvent } from 'react';
import { download } from '../../api.js';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { saveFile } from '../audit/saveFile.js';
import { errorFor, fieldErrors } from '../inboxSettings/settingsApi.js';
import { DOMAIN_CATEGORIES, misinfoApi, type DomainEntry, type MisinfoSettings } from './misinfoApi.js';

interface Props { workspace: string; onUnauthorized: () => void }

export function MisinfoSources(props: Props) {
  return (<div><DomainList {...props} /><SettingsForm {...props} /></div>);
}

function CategorySelect({ value, onChange, label }: { value: string; onChange: (v: string) => void; label: string }) {
  const m = useI18n().t.misinfo;
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {DOMAIN_CATEGORIES.map((c) => <option key={c} value={c}>{m.categories[c]}</option>)}
    </select>
  );
}

function DomainList({ workspace, onUnauthorized }: Props) {
  const { t } = useI18n();
  const m = t.misinfo;
  const api = misinfoApi(workspace);
  const { data, error, reload } = useApiData((signal) => api.domains(signal), [workspace], onUnauthorized);
  const [notice, setNotice] = useState<string | null>(null);
  const [form, setForm] = useState<DomainEntry>({ domain: '', category: 'unreliable', note: '' });
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [confirming, setConfirming] = useState<string | null>(null);

  async function save(entry: DomainEntry, fromForm: boolean) {
    try {
      await api.saveDomains([entry]);
      setNotice(m.domainSaved(entry.domain));
      setErrors(null);
      if (fromForm) setForm({ domain: '', category: form.category, note: '' });
      reload();
    } catch (err) {
      const f = fieldErrors(err, t);
      if (fromForm && f) setErrors(f);
      setNotice(errorText(err, t));
    }
  }
  async function remove(domain: string) {
    setConfirming(null);
    try { await api.deleteDomain(domain); setNotice(m.domainDeleted(domain)); reload(); } catch (err) { setNotice(errorText(err, t)); }
  }
  async function importFile(file: File) {
    try { const r = await api.importDomains(await file.text()); setNotice(m.domainsImported(r.saved)); reload(); } catch (err) { setNotice(errorText(err, t)); }
  }
  async function exportCsv() {
    try { saveFile(await download('/misinfo/domains?format=csv', { workspace }), 'domains.csv'); } catch (err) { setNotice(errorText(err, t)); }
  }
  const formError = (k: keyof DomainEntry) => errorFor(errors, `domains.0.${k}`);
  return (
    <section aria-labelledby="misinfo-domains-title">
      <h2 id="misinfo-domains-title">{m.domainsTitle}</h2>
      <p className="muted">{m.domainsIntro}</p>
      {error !== null && <div className="error" role="alert"><p>{m.loadFailed} {errorText(error, t)}</p><button type="button" onClick={reload}>{t.retry}</button></div>}
      {notice && <p role="status" data-testid="domains-notice">{notice}</p>}
      {data && data.domains.length === 0 && <p className="empty">{m.noDomains}</p>}
      {data && data.domains.length > 0 && (
        <table className="misinfo-claims" data-testid="misinfo-domains">
          <thead><tr><th>{m.domain}</th><th>{m.category}</th><th>{m.note}</th><th /></tr></thead>
          <tbody>
            {data.domains.map((d) => (
              <tr key={d.domain} data-testid="misinfo-domain-row" data-domain={d.domain}>
                <td>{d.domain}</td>
                <td><CategorySelect label={`${m.category} ${d.domain}`} value={d.category} onChange={(category) => void save({ ...d, category }, false)} /></td>
                <td className="field-inline">
                  <input aria-label={`${m.note} ${d.domain}`} value={notes[d.domain] ?? d.note} maxLength={1000} onChange={(e) => setNotes({ ...notes, [d.domain]: e.target.value })} />
                  {notes[d.domain] !== undefined && notes[d.domain] !== d.note && (
                    <button type="button" className="secondary" onClick={() => void save({ ...d, note: notes[d.domain] }, false)}>{m.saveNote}</button>
                  )}
                </td>
                <td>
                  {confirming === d.domain ? (
                    <span role="group" aria-label={m.confirmDelete(d.domain)}>
                      <span>{m.confirmDelete(d.domain)} </span>
                      <button type="button" className="danger" data-testid="domain-confirm-delete" onClick={() => void remove(d.domain)}>{m.yesDelete}</button>
                      <button type="button" className="secondary" onClick={() => setConfirming(null)}>{m.cancel}</button>
                    </span>
                  ) : <button type="button" className="secondary" data-testid="domain-delete" onClick={() => setConfirming(d.domain)}>{m.deleteDomain}</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form className="misinfo-add" data-testid="domain-add" onSubmit={(e: FormEvent) => { e.preventDefault(); void save(form, true); }}>
        <label className="field"><span>{m.domain}</span>
          <input value={form.domain} required maxLength={253} onChange={(e) => setForm({ ...form, domain: e.target.value })} aria-invalid={!!formError('domain')} />
          {/* The server's only complaint about a domain is that it is none (or too long to be one). */}
          {formError('domain') && <small className="field-error" role="alert">{m.badDomain}</small>}
        </label>
        <label className="field"><span>{m.category}</span><CategorySelect label={m.category} value={form.category} onChange={(category) => setForm({ ...form, category })} /></label>
        <label className="field"><span>{m.note}</span>
          <input value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} aria-invalid={!!formError('note')} />
          {formError('note') && <small className="field-error" role="alert">{formError('note')}</small>}
        </label>
        <button type="submit">{m.addDomain}</button>
      </form>
      <div className="field-inline">
        <label><span>{m.importDomains} </span><input type="file" accept=".csv,.txt" data-testid="domains-import" onChange={(e) => { const f = e.target.files?.[0]; if (f) void importFile(f); e.target.value = ''; }} /></label>
        <button type="button" className="secondary" onClick={() => void exportCsv()}>{m.exportDomains}</button>
      </div>
    </section>
  );
}

type Numbers = Exclude<keyof MisinfoSettings, 'resolveShorteners'>;
const GROUPS: { title: 'campaignTitle' | 'linkWaveTitle' | 'newcomersTitle'; fields: Numbers[] }[] = [
  { title: 'campaignTitle', fields: ['campaignMinAccounts', 'campaignWindowHours'] },
  { title: 'linkWaveTitle', fields: ['linkWaveMinAccounts', 'linkWaveWindowHours', 'newAccountDays'] },
  { title: 'newcomersTitle', fields: ['newcomerMinAuthors', 'newcomerWindowMinutes'] },
];

function SettingsForm({ workspace, onUnauthorized }: Props) {
  const { t } = useI18n();
  const m = t.misinfo;
  const api = misinfoApi(workspace);
  const { data, error, reload } = useApiData((signal) => api.settings(signal), [workspace], onUnauthorized);
  // Numbers as typed (an empty field stays empty until the server says what is wrong with it).
  const [form, setForm] = useState<Record<string, string>>({});
  const [resolve, setResolve] = useState(false);
  const [errors, setErrors] = useState<Record<string, string> | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (!data) return;
    setResolve(data.resolveShorteners);
    setForm(Object.fromEntries(GROUPS.flatMap((g) => g.fields.map((k) => [k, String(data[k])]))));
  }, [data]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const body = { resolveShorteners: resolve } as MisinfoSettings;
    for (const g of GROUPS) for (const k of g.fields) body[k] = form[k] === '' ? (null as unknown as number) : Number(form[k]);
    try {
      await api.saveSettings(body);
      setErrors(null);
      setNotice(m.settingsSaved);
      reload();
    } catch (err) {
      setErrors(fieldErrors(err, t));
      setNotice(errorText(err, t));
    }
  }
  return (
    <section aria-labelledby="misinfo-settings-title">
      <h2 id="misinfo-settings-title">{m.settingsTitle}</h2>
      {error !== null && <div className="error" role="alert"><p>{m.loadFailed} {errorText(error, t)}</p><button type="button" onClick={reload}>{t.retry}</button></div>}
      {data && (
        <form className="misinfo-add" data-testid="misinfo-settings" onSubmit={(e) => void submit(e)} noValidate>
          <label className="field-inline">
            <input type="checkbox" checked={resolve} data-testid="resolve-shorteners" onChange={(e) => setResolve(e.target.checked)} />
            <span>{m.resolveShorteners}</span>
          </label>
          <p className="muted">{m.resolveShortenersHelp}</p>
          {GROUPS.map((g) => (
            <fieldset key={g.title}>
              <legend>{m[g.title]}</legend>
              {g.fields.map((k) => (
                <label key={k} className="field"><span>{m[k]}</span>
                  <input type="number" name={k} value={form[k] ?? ''} onChange={(e) => setForm({ ...form, [k]: e.target.value })} aria-invalid={!!errorFor(errors, k)} />
                  {errorFor(errors, k) && <small className="field-error" role="alert" data-testid={`error-${k}`}>{errorFor(errors, k)}</small>}
                </label>
              ))}
            </fieldset>
          ))}
          <button type="submit">{m.saveSettings}</button>
          {notice && <p role="status" data-testid="settings-notice">{notice}</p>}
        </form>
      )}
    </section>
  );
}
