// "Verbindungen": the workspace's platform connections with their state — test ("connection OK,
// last item 2 minutes ago"), pause, resume, read now, re-authorise, remove — the form to add one,
// and the capability matrix. Names, accounts and errors come from outside: text only.
import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { useI18n } from '../i18n.js';
import { AddConnection, FieldInput, toBody } from './connections/AddConnection.js';
import { CapabilityMatrix } from './connections/CapabilityMatrix.js';
import { connectionsApi, FIELDS, type Connection, type Matrix } from './connections/connectionsApi.js';
import { timeAgo } from './connections/timeAgo.js';

interface Props { workspace: string; onUnauthorized: () => void }

function Row({ workspace, conn, onChanged, onUnauthorized }: { workspace: string; conn: Connection; onChanged: () => void; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const c = t.connections;
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reauth, setReauth] = useState<Record<string, string | boolean> | null>(null);
  const secrets = (FIELDS[conn.platform] ?? []).filter((f) => f.secret);

  async function run(fn: () => Promise<unknown>, okText?: (r: any) => string) {
    setBusy(true);
    setNote(null);
    try {
      const r = await fn();
      if (okText) setNote({ ok: true, text: okText(r) });
      onChanged();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setNote({ ok: false, text: `${c.actionFailed} ${errorText(err, t)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <tr data-testid="connection" data-status={conn.status}>
        <td data-testid="connection-name">{conn.name}</td>
        <td>{c.platforms[conn.platform] ?? conn.platform}</td>
        <td>
          <span className={`status status-${conn.status}`} data-testid="connection-status">{c.status[conn.status] ?? conn.status}</span>
          {conn.pendingActions > 0 && <div className="muted">{c.pendingActions(conn.pendingActions)}</div>}
          {conn.lastError && <div className="muted" title={conn.lastError} data-testid="connection-error">{c.lastError}: {conn.lastError.slice(0, 200)}</div>}
        </td>
        <td>{conn.lastItemAt ? <time dateTime={conn.lastItemAt}>{timeAgo(conn.lastItemAt, locale)}</time> : c.never}</td>
        <td>{conn.itemCount}</td>
        <td className="nowrap">
          {conn.hasCredentials && (
            <button type="button" className="secondary" data-testid="connection-test" disabled={busy}
              onClick={() => void run(async () => {
                try {
                  return await connectionsApi.test(workspace, conn.id);
                } catch (err) {
                  if (err instanceof ApiError && err.status !== 401) throw new ApiError(err.status, err.code, `${c.testFailed} ${err.message}`);
                  throw err;
                }
              }, (r) => c.testOk(r.account, timeAgo(r.lastItemAt, locale)))}>
              {busy ? c.testing : c.test}
            </button>
          )}{' '}
          {conn.status === 'paused'
            ? <button type="button" className="secondary" data-testid="connection-resume" disabled={busy} onClick={() => void run(() => connectionsApi.resume(workspace, conn.id))}>{c.resume}</button>
            : <button type="button" className="secondary" data-testid="connection-pause" disabled={busy} onClick={() => void run(() => connectionsApi.pause(workspace, conn.id))}>{c.pause}</button>}{' '}
          {conn.hasCredentials && conn.status === 'active' && (
            <button type="button" className="secondary" data-testid="connection-poll" disabled={busy} onClick={() => void run(() => connectionsApi.pollNow(workspace, conn.id))}>{c.pollNow}</button>
          )}{' '}
          {secrets.length > 0 && (
            <button type="button" className="secondary" data-testid="connection-reauth" disabled={busy}
              onClick={() => setReauth(reauth ? null : Object.fromEntries(secrets.map((f) => [f.name, ''])))}>{c.reauth}</button>
          )}{' '}
          <button type="button" className="danger" data-testid="connection-remove" disabled={busy}
            onClick={() => { if (window.confirm(c.removeConfirm(conn.name))) void run(() => connectionsApi.remove(workspace, conn.id)); }}>{c.remove}</button>
        </td>
      </tr>
      {conn.platform === 'website' && (
        <tr>
          <td colSpan={6}>
            <p className="muted">{c.embedHint}</p>
            <code data-testid="connection-embed">{`<script src="${location.origin}/widget.js" data-connection="${conn.id}" async></script>`}</code>
          </td>
        </tr>
      )}
      {(note || reauth) && (
        <tr>
          <td colSpan={6}>
            {note && <p className={note.ok ? 'success' : 'error'} role={note.ok ? 'status' : 'alert'} data-testid="connection-note">{note.text}</p>}
            {reauth && (
              <form onSubmit={(e) => { e.preventDefault(); void run(() => connectionsApi.reauthorise(workspace, conn.id, toBody(conn.platform, reauth).credentials), (r) => c.added(r.account)).then(() => setReauth(null)); }}>
                {secrets.map((f) => (
                  <FieldInput key={f.name} field={f} prefix={`reauth-${conn.id}`} value={reauth[f.name] ?? ''} onChange={(v) => setReauth((old) => ({ ...old, [f.name]: v }))} />
                ))}
                <button type="submit" data-testid="reauth-submit" disabled={busy}>{c.reauthSave}</button>
              </form>
            )}
          </td>
        </tr>
      )}
    </>
  );
}

export function Connections({ workspace, onUnauthorized }: Props) {
  const { t } = useI18n();
  const c = t.connections;
  const [matrix, setMatrix] = useState<Matrix | null>(null);
  const [list, setList] = useState<Connection[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    const ctrl = new AbortController();
    Promise.all([connectionsApi.matrix(workspace, ctrl.signal), connectionsApi.list(workspace, ctrl.signal)]).then(
      ([m, l]) => { setMatrix(m); setList(l.connections); setError(null); },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        if (err instanceof ApiError && err.status === 401) return onUnauthorized();
        setError(err);
      });
    return () => ctrl.abort();
  }, [workspace, version, onUnauthorized]);

  // The state changes on its own (polls, errors): look again every few seconds.
  useEffect(() => {
    const timer = setInterval(reload, 5000);
    return () => clearInterval(timer);
  }, [reload]);

  return (
    <section className="connections" aria-labelledby="connections-title" data-testid="connections-page">
      <h2 id="connections-title">{c.title}</h2>
      <p className="muted">{c.intro}</p>
      {error !== null && <p className="error" role="alert" data-testid="connections-error">{c.loadFailed} {errorText(error, t)}</p>}
      {!list && error === null && <p className="muted">{t.loading}</p>}
      {list && list.length === 0 && <p className="empty" data-testid="connections-empty">{c.empty}</p>}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>{(['name', 'platform', 'state', 'lastItem', 'items', 'actions'] as const).map((k) => <th key={k} scope="col">{c.columns[k]}</th>)}</tr>
            </thead>
            <tbody>
              {list.map((conn) => <Row key={conn.id} workspace={workspace} conn={conn} onChanged={reload} onUnauthorized={onUnauthorized} />)}
            </tbody>
          </table>
        </div>
      )}
      {matrix && <AddConnection workspace={workspace} platforms={matrix.connectors.map((k) => k.platform)} onAdded={reload} />}
      {matrix && <CapabilityMatrix matrix={matrix} />}
    </section>
  );
}
