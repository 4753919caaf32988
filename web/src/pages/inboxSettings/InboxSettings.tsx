// "Posteingang einrichten": teams, canned responses, labels, business hours and SLA policies.
// Everyone may look; only managers and above may change (the server checks too).
import { useMemo } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { BusinessHours } from './BusinessHours.js';
import { CannedResponses } from './CannedResponses.js';
import { Labels } from './Labels.js';
import { settingsApi } from './settingsApi.js';
import { SlaPolicies } from './SlaPolicies.js';
import { Teams } from './Teams.js';
import './inboxSettings.css';

const CAN_EDIT = ['owner', 'admin', 'manager'];

interface Props { workspace: string; role: string | null; onUnauthorized: () => void }

export function InboxSettings({ workspace, role, onUnauthorized }: Props) {
  const { t } = useI18n();
  const s = t.inboxSettings;
  const api = useMemo(() => settingsApi(workspace), [workspace]);
  const canEdit = CAN_EDIT.includes(role ?? '');
  const { data, error, loading, reload } = useApiData(async (signal) => {
    const [teams, people, canned, labels, calendar, policies] = await Promise.all([
      api.teams(signal), api.people(signal), api.canned(signal), api.labels(signal), api.calendar(signal), api.policies(signal)]);
    return { teams: teams.teams, people: people.people, canned: canned.canned, labels: labels.labels, calendar, policies: policies.policies };
  }, [api], onUnauthorized);

  return (
    <section className="inbox-settings" aria-labelledby="inbox-settings-title" aria-busy={loading} data-testid="inbox-settings-page">
      <h1 id="inbox-settings-title">{s.title}</h1>
      {!canEdit && <p className="notice" data-testid="settings-read-only">{s.readOnly}</p>}
      {error !== null && (
        <div className="error" role="alert">
          <p>{s.loadFailed} {errorText(error, t)}</p>
          <button type="button" onClick={reload}>{t.retry}</button>
        </div>
      )}
      {data && <>
        <Teams api={api} teams={data.teams} people={data.people} canEdit={canEdit} onChanged={reload} />
        <CannedResponses api={api} canned={data.canned} canEdit={canEdit} onChanged={reload} />
        <Labels api={api} labels={data.labels} canEdit={canEdit} onChanged={reload} />
        <BusinessHours key={JSON.stringify(data.calendar)} api={api} calendar={data.calendar} canEdit={canEdit} onChanged={reload} />
        <SlaPolicies key={JSON.stringify(data.policies)} api={api} policies={data.policies} canEdit={canEdit} onChanged={reload} />
      </>}
    </section>
  );
}
