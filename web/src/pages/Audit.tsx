// "Protokoll": the moderation log (who did what to which item, when and why) with filters, a CSV
// download, and the figures per person, rule and model. Excerpts are user content: text only.
import { useState, type MouseEvent } from 'react';
import { ApiError } from '../api.js';
import { RevealOnClick } from '../components/Blurred.js';
import { errorText } from '../errors.js';
import { formatDateTime, useI18n } from '../i18n.js';
import { moderation, type AuditEvent } from '../moderationApi.js';
import { AuditFilters, EMPTY_FILTER, toQuery, type FilterForm } from './audit/AuditFilters.js';
import { Figures } from './audit/Figures.js';
import { useApiData } from '../useLoader.js';
import { auditFilename, saveFile } from './audit/saveFile.js';

/** Rows shown on the page; the CSV holds up to the server's maximum. */
const SHOWN = 200;
const CSV_MAX = 10_000;

interface Props {
  workspace: string;
  revealToxic: boolean;
  onUnauthorized: () => void;
}

export function Audit({ workspace, revealToxic, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const a = t.audit;
  const [filter, setFilter] = useState<FilterForm>(EMPTY_FILTER);
  const { data: page, error, loading, reload } = useApiData((signal) => moderation.audit(workspace, { ...toQuery(filter), limit: SHOWN }, signal), [workspace, filter], onUnauthorized);
  const events: AuditEvent[] | null = page ? (Array.isArray(page.events) ? page.events : []) : null;
  const [csvBusy, setCsvBusy] = useState(false);
  const [csvError, setCsvError] = useState<unknown>(null);

  const csvFilter = { ...toQuery(filter), limit: CSV_MAX };

  async function downloadCsv(event: MouseEvent<HTMLAnchorElement>) {
    // The link's own request could not carry the workspace header: fetch with it, then save.
    event.preventDefault();
    if (csvBusy) return;
    setCsvBusy(true);
    setCsvError(null);
    try {
      saveFile(await moderation.auditCsv(workspace, csvFilter), auditFilename(workspace));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setCsvError(err);
    } finally {
      setCsvBusy(false);
    }
  }

  return (
    <section className="audit" aria-labelledby="audit-title" data-testid="audit-page">
      <div className="page-head">
        <h1 id="audit-title">{a.title}</h1>
        <span className="spacer" />
        <a className="button secondary" data-testid="audit-csv" href={moderation.auditCsvUrl(csvFilter)}
          download={auditFilename(workspace)} aria-busy={csvBusy} onClick={(e) => void downloadCsv(e)}>
          {csvBusy ? a.csvBusy : a.csv}
        </a>
      </div>
      <p className="muted">{a.intro}</p>
      {csvError !== null && <p className="error" role="alert">{a.csvFailed} {errorText(csvError, t)}</p>}

      <AuditFilters initial={filter} onApply={setFilter} />

      {error !== null && (
        <div className="error" role="alert" data-testid="audit-error">
          <p>{a.loadFailed} {errorText(error, t)}</p>
          <button type="button" onClick={reload}>{t.retry}</button>
        </div>
      )}
      {loading && !events && <p className="muted">{t.loading}</p>}
      {events && events.length === 0 && !error && <p className="empty" data-testid="audit-empty">{a.empty}</p>}
      {events && events.length > 0 && (
        <div className="table-wrap" aria-busy={loading}>
          <table className="table">
            <thead>
              <tr>
                {Object.values(a.columns).map((label) => <th key={label} scope="col">{label}</th>)}
              </tr>
            </thead>
            <tbody>
              {events.map((e) => (
                <tr key={String(e.id)} data-testid="audit-row" data-item-id={String(e.itemId)}>
                  <td className="nowrap"><time dateTime={e.at}>{formatDateTime(e.at, locale)}</time></td>
                  <td className="excerpt">
                    {e.platform && <span className="platform">{e.platform}</span>}{' '}
                    <RevealOnClick text={e.excerpt ?? ''} hidden={!revealToxic} label={a.hiddenLabel} testId="audit-excerpt" />
                  </td>
                  <td><span className="kind-tag">{t.actorKinds[e.actorKind] ?? e.actorKind}</span> {e.actor ?? '–'}</td>
                  <td className="nowrap">{stateName(e.before, t.states)} → {stateName(e.after, t.states)}</td>
                  <td>{e.reason ?? ''}</td>
                  <td>{e.tool ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {events.length >= SHOWN && <p className="muted">{a.latest(events.length)}</p>}
        </div>
      )}

      <Figures workspace={workspace} onUnauthorized={onUnauthorized} />
    </section>
  );
}

function stateName(state: string | null, names: Record<string, string>): string {
  return state ? names[state] ?? state : '–';
}
