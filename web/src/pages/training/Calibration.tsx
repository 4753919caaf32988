// Calibration: raters label a round's items blind; managers start rounds and read the agreement
// (Fleiss' kappa, Krippendorff's alpha, per category, per pair) and the items to discuss.
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { training } from './trainingApi.js';

const fmt = (k: number | null) => (k === null ? '–' : k.toFixed(3));

function Rate({ workspace, id, onUnauthorized }: { workspace: string; id: number; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const { data, setData, error } = useApiData((signal) => training.roundItems({ workspace, signal }, id), [workspace, id], onUnauthorized);
  const [saveError, setSaveError] = useState<unknown>(null);
  if (error !== null) return <p className="error" role="alert">{errorText(error, t)}</p>;
  if (!data) return null;
  return (
    <ol className="draft-list" data-testid="calibration-items">
      {data.items.map((it) => (
        <li key={it.position} className="card" data-testid="calibration-item">
          <blockquote className="draft-context">{it.text}</blockquote>
          <label className="field-inline"><span>{m.label}</span>
            <select data-testid="calibration-label" value={it.label ?? ''} onChange={async (e) => {
              const label = e.target.value;
              setSaveError(null);
              try {
                await training.label({ workspace }, id, it.position, label);
                setData({ ...data, items: data.items.map((x) => (x.position === it.position ? { ...x, label } : x)) });
              } catch (err) { setSaveError(err); }
            }}>
              <option value="" disabled>–</option>
              {data.labels.map((l) => <option key={l} value={l}>{l}</option>)}
            </select></label>
        </li>
      ))}
      {saveError !== null && <p className="error" role="alert">{errorText(saveError, t)}</p>}
    </ol>
  );
}

function Results({ workspace, id, onUnauthorized }: { workspace: string; id: number; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const m = t.training;
  const { data, error } = useApiData((signal) => training.results({ workspace, signal }, id), [workspace, id], onUnauthorized);
  if (error !== null) return <p className="error" role="alert">{errorText(error, t)}</p>;
  if (!data) return null;
  return (
    <div data-testid="calibration-results">
      <p><strong>{m.fleiss}:</strong> <span data-testid="calibration-fleiss">{fmt(data.fleissKappa)}</span> · <strong>{m.alpha}:</strong> <span data-testid="calibration-alpha">{fmt(data.krippendorffAlpha)}</span></p>
      <h4>{m.pairwise}</h4>
      <table className="table"><tbody>
        {data.pairwise.map((p) => <tr key={`${p.a}-${p.b}`} data-testid="calibration-pair"><th scope="row">{p.a} – {p.b}</th><td className="num">{fmt(p.kappa)}</td></tr>)}
      </tbody></table>
      <h4>{m.perCategory}</h4>
      <table className="table"><thead><tr><th scope="col">{m.category}</th><th scope="col" className="num">κ</th><th scope="col" className="num">{m.share}</th></tr></thead><tbody>
        {data.perCategory.map((c) => <tr key={c.label}><th scope="row">{c.label}</th><td className="num">{fmt(c.kappa)}</td><td className="num">{new Intl.NumberFormat(locale, { style: 'percent' }).format(c.share)}</td></tr>)}
      </tbody></table>
      <h4>{m.disagreements}</h4>
      <ul className="draft-list">
        {data.disagreements.map((d) => (
          <li key={d.position} className="card" data-testid="calibration-disagreement">
            <blockquote className="draft-context">{d.text}</blockquote>
            <p className="row-tags">{d.labels.map((l) => <span key={l.name} className="tag">{l.name}: {l.label}</span>)}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function Calibration({ workspace, isManager, onUnauthorized }: { workspace: string; isManager: boolean; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const { data, error, reload } = useApiData((signal) => training.rounds({ workspace, signal }), [workspace], onUnauthorized);
  const members = useApiData((signal) => (isManager ? training.members({ workspace, signal }) : Promise.resolve({ members: [] })), [workspace, isManager], onUnauthorized);
  const [open, setOpen] = useState<{ id: number; view: 'rate' | 'results' } | null>(null);
  const [name, setName] = useState('');
  const [size, setSize] = useState(20);
  const [raters, setRaters] = useState<string[]>([]);
  const [startError, setStartError] = useState<unknown>(null);
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  const rounds = data?.rounds ?? [];
  const trend = rounds.filter((r) => r.fleissKappa !== null).reverse();
  return (
    <section data-testid="calibration">
      {isManager && (
        <form className="card" onSubmit={async (e) => {
          e.preventDefault();
          setStartError(null);
          try { await training.newRound({ workspace }, { name, raters, size }); setName(''); reload(); } catch (err) { setStartError(err); }
        }}>
          <h3>{m.newRound}</h3>
          <label className="field-inline"><span>{m.setName}</span><input value={name} onChange={(e) => setName(e.target.value)} required /></label>
          <label className="field-inline"><span>{m.roundSize}</span><input type="number" min={1} max={500} value={size} onChange={(e) => setSize(Number(e.target.value))} /></label>
          <fieldset className="tags-field"><legend>{m.raters}</legend>
            {(members.data?.members ?? []).filter((x) => x.role !== 'analyst').map((x) => (
              <label key={x.id} className="check"><input type="checkbox" checked={raters.includes(x.id)} onChange={(e) => setRaters(e.target.checked ? [...raters, x.id] : raters.filter((r) => r !== x.id))} /> {x.name}</label>
            ))}
          </fieldset>
          <button type="submit" disabled={raters.length < 2}>{m.start}</button>
          {startError !== null && <p className="error" role="alert">{errorText(startError, t)}</p>}
        </form>
      )}
      {isManager && trend.length > 1 && (
        <p data-testid="calibration-trend"><strong>{m.trend}:</strong> {trend.map((r) => `${r.name} ${fmt(r.fleissKappa)}`).join(' → ')}</p>
      )}
      <h3>{m.rounds}</h3>
      {data && rounds.length === 0 && <p className="empty">{m.roundsEmpty}</p>}
      <ul className="draft-list">
        {rounds.map((r) => (
          <li key={r.id} className="card" data-testid="calibration-round">
            <p><strong>{r.name}</strong> · {r.rater ? m.answered(r.answeredByMe, r.items) : ''} {isManager && <>· {m.fleiss} {fmt(r.fleissKappa)}</>}</p>
            <div className="actions">
              {r.rater && <button type="button" className="secondary" data-testid="calibration-rate" onClick={() => setOpen({ id: r.id, view: 'rate' })}>{m.label}</button>}
              {isManager && <button type="button" className="secondary" data-testid="calibration-open-results" onClick={() => setOpen({ id: r.id, view: 'results' })}>{m.results}</button>}
            </div>
            {open?.id === r.id && (open.view === 'rate' ? <Rate workspace={workspace} id={r.id} onUnauthorized={onUnauthorized} /> : <Results workspace={workspace} id={r.id} onUnauthorized={onUnauthorized} />)}
          </li>
        ))}
      </ul>
    </section>
  );
}
