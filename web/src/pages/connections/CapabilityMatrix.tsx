// The table of what each platform can read and do; a missing action says why, in the user's language.
import { useI18n } from '../../i18n.js';
import type { Matrix } from './connectionsApi.js';

export function CapabilityMatrix({ matrix }: { matrix: Matrix }) {
  const { t, locale } = useI18n();
  const c = t.connections;
  return (
    <section aria-labelledby="matrix-title" data-testid="capability-matrix">
      <h3 id="matrix-title">{c.matrixTitle}</h3>
      <p className="muted">{c.matrixIntro}</p>
      <div className="table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">{c.columns.platform}</th>
              <th scope="col">{c.read}</th>
              {matrix.actions.map((a) => <th key={a} scope="col">{c.actions[a] ?? a}</th>)}
            </tr>
          </thead>
          <tbody>
            {matrix.connectors.map((k) => (
              <tr key={k.platform} data-testid={`matrix-${k.platform}`}>
                <th scope="row">{c.platforms[k.platform] ?? k.platform}</th>
                <td>{k.read.map((r) => c.readModes[r] ?? r).join(', ')}</td>
                {matrix.actions.map((a) => {
                  const can = k.act.includes(a);
                  const why = k.missing[a]?.[locale];
                  return (
                    <td key={a} data-testid={`matrix-${k.platform}-${a}`} title={can ? undefined : why}>
                      {can ? <span aria-label={c.can}>✓</span> : <span aria-label={c.cannot}>–</span>}
                      {!can && why && <span className="sr-only"> {why}</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
