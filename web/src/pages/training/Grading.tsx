// Mentors grade trainees' written practice replies on the rubric (each point 1–4), next to the
// case and the team's own reply. Texts are user content: text only.
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { training, RUBRIC, type UngradedReply } from './trainingApi.js';

function GradeCard({ r, workspace, onDone }: { r: UngradedReply; workspace: string; onDone: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const [grade, setGrade] = useState<Record<string, number>>(() => Object.fromEntries(RUBRIC.map((k) => [k, 3])));
  const [error, setError] = useState<unknown>(null);
  async function save() {
    setError(null);
    try { await training.grade({ workspace }, r.id, grade); onDone(); } catch (err) { setError(err); }
  }
  return (
    <li className="card" data-testid="grade-reply">
      <p className="muted">{m.gradeFrom(r.trainee ?? '—')}</p>
      <blockquote className="draft-context">{r.case}</blockquote>
      <p><strong>{m.practiceReply}:</strong> <span data-testid="grade-reply-text">{r.reply}</span></p>
      {r.referenceReply && <p className="muted">{m.teamReply}: {r.referenceReply}</p>}
      <div className="actions">
        {RUBRIC.map((k) => (
          <label key={k} className="field-inline"><span>{m.rubric[k]}</span>
            <select data-testid={`grade-${k}`} value={grade[k]} onChange={(e) => setGrade({ ...grade, [k]: Number(e.target.value) })}>
              {[1, 2, 3, 4].map((n) => <option key={n} value={n}>{n}</option>)}
            </select></label>
        ))}
        <button type="button" data-testid="grade-save" onClick={() => void save()}>{m.gradeSave}</button>
      </div>
      {error !== null && <p className="error" role="alert">{errorText(error, t)}</p>}
    </li>
  );
}

export function Grading({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const { data, error, reload } = useApiData((signal) => training.ungraded({ workspace, signal }), [workspace], onUnauthorized);
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  return (
    <section data-testid="grading">
      <h3>{m.gradeTitle}</h3>
      {data && data.replies.length === 0 && <p className="empty">{m.gradeEmpty}</p>}
      <ul className="draft-list">{(data?.replies ?? []).map((r) => <GradeCard key={r.id} r={r} workspace={workspace} onDone={reload} />)}</ul>
    </section>
  );
}
