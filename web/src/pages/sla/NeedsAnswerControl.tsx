// "Needs an answer" for one inbound item: what the detector said and why, and a switch for the
// team to correct it (the response rate and the team's model follow the correction).
import { useEffect, useState } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { sla, type NeedsAnswer } from '../../slaApi.js';

export function NeedsAnswerControl({ workspace, itemId, canCorrect, onUnauthorized }: { workspace: string; itemId: number | string; canCorrect: boolean; onUnauthorized?: () => void }) {
  const { t } = useI18n();
  const m = t.metrics;
  const [data, setData] = useState<NeedsAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    sla.needsAnswer(workspace, itemId, ctrl.signal).then(setData, (err: unknown) => {
      if (ctrl.signal.aborted) return;
      if (err instanceof ApiError && err.status === 401) return onUnauthorized?.();
      setError(err);
    });
    return () => ctrl.abort();
  }, [workspace, itemId, onUnauthorized]);

  async function correct(value: boolean | null) {
    setBusy(true);
    setError(null);
    try {
      setData(await sla.correctNeedsAnswer(workspace, itemId, value));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized?.();
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  if (!data) return error ? <p className="error small" role="alert">{errorText(error, t)}</p> : null;
  const needs = data.needsAnswer;
  const reason = data.detected ? (m.needsAnswerReasons[data.detected.reason] ?? data.detected.reason) : null;
  return (
    <div className="needs-answer" data-testid="needs-answer" data-value={needs === null ? '' : String(needs)}>
      <strong>{needs ? m.needsAnswer : m.noAnswerNeeded}</strong>
      {data.correction?.by ? <span className="muted">{m.correctedBy(data.correction.by)}</span>
        : reason && <span className="muted">{m.detectedBecause(reason)}{data.detected?.matched ? `: „${data.detected.matched}“` : ''}</span>}
      {canCorrect && (
        <>
          <button type="button" className="secondary" data-testid="needs-answer-toggle" disabled={busy} onClick={() => void correct(!needs)}>
            {m.correct}: {needs ? m.noAnswerNeeded : m.needsAnswer}
          </button>
          {data.correction && <button type="button" className="secondary" data-testid="needs-answer-undo" disabled={busy} onClick={() => void correct(null)}>{m.undoCorrection}</button>}
        </>
      )}
      {error !== null && <span className="error" role="alert">{m.correctFailed} {errorText(error, t)}</span>}
    </div>
  );
}
