// Progress: a trainee's own page (drafts, feedback themes, practice, calibration, exposure, and the
// hate/threat queue opt-in), the mentors' overview of all trainees, and the managers' settings.
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { formatPercent, useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { training, type Settings } from './trainingApi.js';

const pct = (x: number | null, locale: 'de' | 'en') => (x === null ? '–' : formatPercent(x, locale));

export function TraineeProgress({ workspace, userId, isManager, isSelf, onUnauthorized }: { workspace: string; userId: string; isManager: boolean; isSelf: boolean; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const m = t.training;
  const { data: p, error, reload } = useApiData((signal) => training.progress({ workspace, signal }, userId), [workspace, userId], onUnauthorized);
  const [actError, setActError] = useState<unknown>(null);
  const act = async (fn: () => Promise<unknown>) => { setActError(null); try { await fn(); reload(); } catch (err) { setActError(err); } };
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  if (!p) return <p className="muted">{t.loading}</p>;
  return (
    <div className="card" data-testid="trainee-progress">
      <h3>{p.name}</h3>
      {p.queue.breakPrompt && <p className="notice" role="status" data-testid="break-prompt">{m.breakPrompt}</p>}
      <dl className="figures">
        <dt>{m.reviewed}</dt><dd data-testid="progress-reviewed">{p.drafts.reviewed}</dd>
        <dt>{m.approvalRate}</dt><dd>{pct(p.drafts.approvalRate, locale)}</dd>
        <dt>{m.medianEdit}</dt><dd>{p.drafts.medianEditSize ?? '–'}</dd>
        <dt>{m.exposure}</dt><dd>{p.exposure.reduce((s, d) => s + d.items, 0)}</dd>
      </dl>
      <h4>{m.themes}</h4>
      <p className="row-tags">{p.feedbackThemes.map((f) => <span key={f.tag} className="tag">{f.tag} × {f.count}</span>)}</p>
      <h4>{m.practiceScores}</h4>
      <ul className="bars">
        {Object.entries(p.practice.perCategory).map(([cat, s]) => (
          <li key={cat} aria-label={`${cat}: ${pct(s.share, locale)}`}><span className="bar-name">{cat}</span><span className="bar" style={{ width: `${100 * s.share}%` }} /><span className="bar-value">{s.correct}/{s.answers}</span></li>
        ))}
      </ul>
      <h4>{m.calibrationScores}</h4>
      <ul>{p.calibration.map((c) => <li key={c.roundId}>{c.name}: κ {c.meanKappaWithOthers === null ? '–' : c.meanKappaWithOthers.toFixed(2)}</li>)}</ul>
      <h4>{m.autonomy}</h4>
      <table className="table"><tbody>
        {p.autonomy.map((a) => (
          <tr key={a.action} data-testid="autonomy-row">
            <th scope="row">{m.actions[a.action] ?? a.action}</th>
            <td>{m.agreement}: {pct(a.agreement, locale)} ({a.reviewed})</td>
            <td>{a.granted ? m.modes.alone : m.modes.approval}{a.suggested && <strong> · {m.suggestions}</strong>}</td>
            {isManager && <td><button type="button" className="secondary" onClick={() => void act(() => training.autonomy({ workspace }, userId, a.action, !a.granted))}>
              {a.granted ? m.revoke(m.actions[a.action] ?? a.action) : m.grant(m.actions[a.action] ?? a.action)}</button></td>}
          </tr>
        ))}
      </tbody></table>
      <h4>{m.harmfulQueue}</h4>
      {isManager && <label className="check"><input type="checkbox" checked={p.queue.allowed} onChange={(e) => void act(() => training.allowHarmful({ workspace }, userId, e.target.checked))} /> {m.allowHarmful}</label>}
      {isSelf && <label className="check"><input type="checkbox" data-testid="harmful-opt-in" checked={p.queue.optedIn} onChange={(e) => void act(() => training.optIn({ workspace }, e.target.checked))} /> {m.optIn}</label>}
      {actError !== null && <p className="error" role="alert">{errorText(actError, t)}</p>}
    </div>
  );
}

export function Overview({ workspace, isManager, onUnauthorized }: { workspace: string; isManager: boolean; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const m = t.training;
  const { data, error } = useApiData((signal) => training.trainees({ workspace, signal }), [workspace], onUnauthorized);
  const [open, setOpen] = useState<string | null>(null);
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  if (!data) return <p className="muted">{t.loading}</p>;
  return (
    <section data-testid="trainees-overview">
      {data.trainees.length === 0 && <p className="empty">{m.traineesEmpty}</p>}
      <div className="table-wrap"><table className="table">
        <thead><tr><th scope="col">{m.trainees}</th><th scope="col" className="num">{m.pending}</th><th scope="col" className="num">{m.reviewed}</th><th scope="col" className="num">{m.approvalRate}</th>
          <th scope="col" className="num">{m.medianEdit}</th><th scope="col">{m.needsHelp}</th><th scope="col">{m.suggestions}</th></tr></thead>
        <tbody>
          {data.trainees.map((x) => (
            <tr key={x.userId} data-testid="trainee-row">
              <th scope="row"><button type="button" className="link" onClick={() => setOpen(x.userId)}>{x.name}</button></th>
              <td className="num">{x.pending}</td><td className="num">{x.reviewed}</td><td className="num">{pct(x.approvalRate, locale)}</td><td className="num">{x.medianEditSize ?? '–'}</td>
              <td>{[x.topTheme, x.weakestCategory && `${x.weakestCategory.category} (${pct(x.weakestCategory.share, locale)})`].filter(Boolean).join(', ')}</td>
              <td>{x.suggestions.map((a) => m.actions[a] ?? a).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table></div>
      {open && <TraineeProgress workspace={workspace} userId={open} isManager={isManager} isSelf={false} onUnauthorized={onUnauthorized} />}
    </section>
  );
}

export function TrainingSettings({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const { data, setData, error } = useApiData((signal) => training.settings({ workspace, signal }), [workspace], onUnauthorized);
  const [skills, setSkills] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [saveError, setSaveError] = useState<unknown>(null);
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  if (!data) return <p className="muted">{t.loading}</p>;
  const update = (patch: Partial<Settings>) => setData({ ...data, ...patch });
  return (
    <form className="card" data-testid="training-settings" onSubmit={async (e) => {
      e.preventDefault();
      setSaveError(null);
      try {
        const saved = await training.saveSettings({ workspace }, {
          policies: data.policies, autonomyThreshold: data.autonomyThreshold, autonomyWindow: data.autonomyWindow, dailyExposureCap: data.dailyExposureCap,
          ...(skills !== null ? { skills: skills.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
        });
        setData({ ...data, ...saved });
        setNotice(m.saved);
      } catch (err) { setSaveError(err); }
    }}>
      <h3>{m.policies}</h3>
      <table className="table"><tbody>
        {data.actions.map((a) => (
          <tr key={a}><th scope="row">{m.actions[a] ?? a}</th><td>
            <select data-testid={`policy-${a}`} value={data.policies[a]} onChange={(e) => update({ policies: { ...data.policies, [a]: e.target.value } })}>
              {Object.entries(m.modes).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
            </select></td></tr>
        ))}
      </tbody></table>
      <label className="field"><span>{m.skills}</span><input value={skills ?? data.skills.join(', ')} onChange={(e) => setSkills(e.target.value)} /></label>
      <label className="field-inline"><span>{m.threshold}</span><input type="number" step="0.05" min={0.05} max={1} value={data.autonomyThreshold} onChange={(e) => update({ autonomyThreshold: Number(e.target.value) })} /></label>
      <label className="field-inline"><span>{m.window}</span><input type="number" min={5} max={500} value={data.autonomyWindow} onChange={(e) => update({ autonomyWindow: Number(e.target.value) })} /></label>
      <label className="field-inline"><span>{m.cap}</span><input type="number" min={0} max={1000} value={data.dailyExposureCap} onChange={(e) => update({ dailyExposureCap: Number(e.target.value) })} /></label>
      <button type="submit">{m.save}</button>
      <p className="review-status" role="status">{notice}</p>
      {saveError !== null && <p className="error" role="alert">{errorText(saveError, t)}</p>}
    </form>
  );
}
