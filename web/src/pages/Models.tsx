// "Modellqualität": the models in use, how the one in use does on the workspace's decisions (the
// same report as `allmende evaluate`), which labels the decisions can teach, and a button to
// retrain that says whether the new model was adopted and why.
import { useState } from 'react';
import { ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { formatDateTime, languageName, useI18n } from '../i18n.js';
import { moderation, type RetrainOutcome } from '../moderationApi.js';
import { useApiData } from '../useLoader.js';
import { Metrics } from './models/Metrics.js';
import { EvaluateFile } from './models/EvaluateFile.js';

interface Props {
  workspace: string;
  role: string | null;
  onUnauthorized: () => void;
}

const CAN_RETRAIN = ['owner', 'admin', 'manager'];
const f3 = (x: number) => x.toFixed(3);

export function Models({ workspace, role, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const m = t.models;
  const { data, error, loading, reload } = useApiData((signal) => moderation.evaluation(workspace, signal), [workspace], onUnauthorized);
  const [busy, setBusy] = useState(false);
  const [outcomes, setOutcomes] = useState<RetrainOutcome[] | null>(null);
  const [trainError, setTrainError] = useState<unknown>(null);

  async function retrain() {
    setBusy(true);
    setTrainError(null);
    setOutcomes(null);
    try {
      setOutcomes((await moderation.retrain(workspace)).outcomes);
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setTrainError(err);
    } finally {
      setBusy(false);
    }
  }

  const lang = (code: string) => languageName(code, locale);
  const label = (l: string) => m.labelNames[l] ?? l;
  function outcomeText(o: RetrainOutcome): string {
    if (o.comparison) {
      const { heldBack, candidateMacroF1, currentMacroF1 } = o.comparison;
      return (o.adopted ? m.adopted : m.kept)(lang(o.language), heldBack, f3(candidateMacroF1), f3(currentMacroF1));
    }
    if (o.needed) return m.tooFew(lang(o.language), o.decisions, o.needed);
    const refused = o.reasonCode ? m.refused[o.reasonCode] : undefined;
    return m.notTrained(lang(o.language), refused && o.reasonParams ? refused(o.reasonParams) : o.reason);
  }

  return (
    <section className="models" aria-labelledby="models-title" aria-busy={loading} data-testid="models-page">
      <div className="page-head">
        <h1 id="models-title">{m.title}</h1>
        <span className="spacer" />
        {CAN_RETRAIN.includes(role ?? '') && (
          <button type="button" data-testid="retrain" disabled={busy} onClick={() => void retrain()}>{busy ? m.retraining : m.retrain}</button>
        )}
      </div>
      <p className="muted">{m.intro}</p>
      {data && <p className="muted">{m.retrainIntro(data.minDecisionsToRetrain)}</p>}
      {trainError !== null && <p className="error" role="alert" data-testid="retrain-error">{m.retrainFailed} {errorText(trainError, t)}</p>}
      {outcomes && (
        <ul className="notice outcomes" role="status" data-testid="retrain-outcomes">
          {outcomes.map((o) => (
            <li key={o.language} data-testid="retrain-outcome" data-language={o.language} data-adopted={String(o.adopted)}>
              {outcomeText(o)}
              {o.labels.some((l) => l.enough) && <> {m.labelsLearned(o.labels.filter((l) => l.enough).map((l) => label(l.label)).join(', '))}</>}
            </li>
          ))}
        </ul>
      )}

      {error !== null && (
        <div className="error" role="alert" data-testid="models-error">
          <p>{m.loadFailed} {errorText(error, t)}</p>
          <button type="button" onClick={reload}>{t.retry}</button>
        </div>
      )}
      {loading && !data && <p className="muted">{t.loading}</p>}

      {data && (
        <>
          <h2>{m.modelsTitle}</h2>
          <div className="table-wrap">
            <table className="table" data-testid="models-table">
              <thead>
                <tr>
                  <th scope="col">{m.language}</th>
                  <th scope="col">{m.model}</th>
                  <th scope="col">{m.source}</th>
                  <th scope="col">{m.labels}</th>
                  <th scope="col" className="num">{m.heldOutF1}</th>
                </tr>
              </thead>
              <tbody>
                {data.models.map((model) => {
                  const f1 = heldOutF1(model.heldOut);
                  return (
                    <tr key={model.language + model.id} data-testid="model-row" data-source={model.source} data-language={model.language}>
                      <td>{lang(model.language)}</td>
                      <td><code>{model.id}</code> <small className="muted">{formatDateTime(model.createdAt, locale)}</small></td>
                      <td>{m.sources[model.source] ?? model.source}</td>
                      <td data-testid="model-labels">{(model.meta.labels ?? []).map(label).join(', ')}</td>
                      <td className="num">{f1 === null ? '–' : f3(f1)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>

          <h2>{m.supportTitle}</h2>
          <div className="table-wrap">
            <table className="table" data-testid="label-support">
              <thead>
                <tr>
                  <th scope="col">{m.supportLabel}</th>
                  <th scope="col" className="num">{m.supportExamples}</th>
                  <th scope="col">{m.supportState}</th>
                </tr>
              </thead>
              <tbody>
                {data.labels.map((l) => (
                  <tr key={l.label} data-testid="label-support-row" data-label={l.label} data-enough={String(l.enough)}>
                    <th scope="row">{label(l.label)}</th>
                    <td className="num">{l.examples}</td>
                    <td>{l.enough ? m.enough : `${m.notEnough(l.examples, l.needed)}; ${l.label === 'offensive' ? m.offensiveFallback : m.otherFallback}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>

          <h2>{data.evaluation ? m.reportTitle(data.decisions) : m.reportTitle(0)}</h2>
          {data.evaluation ? <Metrics metrics={data.evaluation} /> : <p className="empty" data-testid="models-no-decisions">{m.noDecisions}</p>}
        </>
      )}

      <EvaluateFile workspace={workspace} onUnauthorized={onUnauthorized} />
    </section>
  );
}

/** The held-out macro-F1 a model file or a workspace model records (their shapes differ). */
function heldOutF1(heldOut: Record<string, unknown> | null): number | null {
  if (!heldOut) return null;
  const direct = heldOut.macroF1;
  if (typeof direct === 'number') return direct;
  const candidate = (heldOut.candidate as { macroF1?: unknown } | undefined)?.macroF1;
  return typeof candidate === 'number' ? candidate : null;
}
