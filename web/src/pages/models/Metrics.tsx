// The evaluation report as tables: precision, recall and F1 per class with the macro average,
// then the confusion matrix (rows: the moderators' decisions, columns: the model's).
import { useI18n } from '../../i18n.js';
import type { Metrics as MetricsData } from '../../moderationApi.js';

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : '–');

export function Metrics({ metrics }: { metrics: MetricsData }) {
  const { t } = useI18n();
  const m = t.models;
  const name = (c: string) => m.labelNames[c] ?? c;
  return (
    <>
      <div className="table-wrap">
        <table className="table" data-testid="metrics-table">
          <thead>
            <tr>
              <th scope="col">{m.class}</th>
              <th scope="col" className="num">{m.precision}</th>
              <th scope="col" className="num">{m.recall}</th>
              <th scope="col" className="num">{m.f1}</th>
              <th scope="col" className="num">{m.support}</th>
              <th scope="col" className="num">{m.predicted}</th>
            </tr>
          </thead>
          <tbody>
            {metrics.perClass.map((c) => (
              <tr key={c.label} data-testid="metrics-row" data-class={c.label}>
                <th scope="row">{name(c.label)}</th>
                <td className="num">{f3(c.precision)}</td>
                <td className="num">{f3(c.recall)}</td>
                <td className="num">{f3(c.f1)}</td>
                <td className="num">{c.support}</td>
                <td className="num">{c.predicted}</td>
              </tr>
            ))}
            <tr className="total">
              <th scope="row">{m.macro}</th>
              <td className="num">{f3(metrics.macroPrecision)}</td>
              <td className="num">{f3(metrics.macroRecall)}</td>
              <td className="num" data-testid="metrics-macro-f1">{f3(metrics.macroF1)}</td>
              <td className="num">{metrics.total}</td>
              <td className="num">{metrics.total}</td>
            </tr>
          </tbody>
        </table>
      </div>
      <p className="muted">{m.accuracy(f3(metrics.accuracy), f3(metrics.macroF1))}</p>
      <h3>{m.matrixTitle}</h3>
      <div className="table-wrap">
        <table className="table matrix" data-testid="confusion-matrix">
          <caption className="muted">{m.matrixCaption}</caption>
          <thead>
            <tr>
              <td />
              {metrics.classes.map((c) => <th key={c} scope="col" className="num">{name(c)}</th>)}
            </tr>
          </thead>
          <tbody>
            {metrics.classes.map((c, i) => (
              <tr key={c}>
                <th scope="row">{name(c)}</th>
                {metrics.matrix[i].map((n, j) => (
                  <td key={j} className={i === j ? 'num diagonal' : 'num'} data-testid={`cell-${c}-${metrics.classes[j]}`}>{n}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
