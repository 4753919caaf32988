// The notification list of SLA breaches: newest first, the unseen ones marked, polled every few seconds.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { sla, type SlaAlert } from '../../slaApi.js';

const POLL_MS = 3_000;

export function AlertList({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const m = t.metrics;
  const [alerts, setAlerts] = useState<SlaAlert[] | null>(null);
  const [unseen, setUnseen] = useState(0);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (signal?: AbortSignal) => {
    try {
      const r = await sla.alerts(workspace, signal);
      setAlerts(r.alerts);
      setUnseen(r.unseen);
      setError(null);
    } catch (err) {
      if (signal?.aborted) return;
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setError(err);
    }
  }, [workspace, onUnauthorized]);

  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    const timer = setInterval(() => void load(ctrl.signal), POLL_MS);
    return () => { ctrl.abort(); clearInterval(timer); };
  }, [load]);

  async function markSeen() {
    const ids = (alerts ?? []).filter((a) => !a.seen).map((a) => a.id);
    if (!ids.length) return;
    try {
      await sla.markSeen(workspace, ids);
      await load();
    } catch (err) {
      setError(err);
    }
  }

  const time = (iso: string) => new Date(iso).toLocaleString(locale === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'short', timeStyle: 'short' });
  return (
    <section className="alerts" aria-labelledby="alerts-title">
      <div className="page-head">
        <h2 id="alerts-title">{m.alertsTitle}</h2>
        {unseen > 0 && <span className="badge overdue" data-testid="alerts-unseen">{m.alertsUnseen(unseen)}</span>}
        {unseen > 0 && <button type="button" className="secondary" data-testid="alerts-seen" onClick={() => void markSeen()}>{m.alertsMarkSeen}</button>}
      </div>
      {error !== null && <p className="error" role="alert">{m.alertsLoadFailed} {errorText(error, t)}</p>}
      {alerts && alerts.length === 0 && <p className="empty" data-testid="alerts-empty">{m.alertsEmpty}</p>}
      {alerts && alerts.length > 0 && (
        <ul className="alert-list">
          {alerts.map((a) => (
            <li key={a.id} data-testid="sla-alert" data-conversation={a.conversationId} data-kind={a.kind} data-seen={a.seen}>
              <strong>{m.alertLine(m.dueKinds[a.kind] ?? a.kind, a.conversationId)}</strong>
              <span className="small muted"> · {a.platform}{a.policy ? ` · ${a.policy}` : ''} · {time(a.dueAt)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
