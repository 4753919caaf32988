// Practice: sets of anonymised past cases; the trainee decides, sees at once whether the team
// decided the same and why. Mentors draw a new set stratified by category.
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { training, type PracticeCase, type Scored } from './trainingApi.js';
import { Grading } from './Grading.js';

const CATEGORIES = ['offensive', 'insult', 'threat', 'slur', 'profanity', 'spam'];

function CaseCard({ c, workspace }: { c: PracticeCase; workspace: string }) {
  const { t } = useI18n();
  const m = t.training;
  const [decision, setDecision] = useState('approve');
  const [category, setCategory] = useState('');
  const [reply, setReply] = useState('');
  const [scored, setScored] = useState<Scored | null>(null);
  const [error, setError] = useState<unknown>(null);
  async function check() {
    setError(null);
    try {
      setScored(await training.answer({ workspace }, c.id, { decision, ...(category ? { category } : {}), ...(reply.trim() ? { reply } : {}) }));
    } catch (err) {
      setError(err);
    }
  }
  return (
    <li className="card" data-testid="practice-case">
      <h3>{m.caseN(c.position + 1)}</h3>
      <blockquote className="draft-context" data-testid="practice-text">{c.text}</blockquote>
      <div className="actions">
        <label className="field-inline"><span>{m.decide}</span>
          <select data-testid="practice-decision" value={decision} onChange={(e) => setDecision(e.target.value)}>
            {Object.entries(m.decisions).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select></label>
        <label className="field-inline"><span>{m.category}</span>
          <select data-testid="practice-category" value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">{m.noCategory}</option>
            {CATEGORIES.map((k) => <option key={k} value={k}>{k}</option>)}
          </select></label>
      </div>
      {c.replyExpected && <label className="field"><span>{m.practiceReply}</span><textarea rows={2} value={reply} onChange={(e) => setReply(e.target.value)} /></label>}
      <button type="button" data-testid="practice-check" onClick={() => void check()}>{m.check}</button>
      {error !== null && <p className="error" role="alert">{errorText(error, t)}</p>}
      {scored && (
        <div className={scored.correct ? 'notice' : 'error'} data-testid="practice-result" data-correct={String(scored.correct)}>
          <p>{scored.correct ? m.correct : m.wrong} {m.reference(m.decisions[scored.reference.decision] ?? scored.reference.decision, scored.reference.category)}</p>
          {scored.reference.reason && <p>{m.reasoning}: {scored.reference.reason}</p>}
          {scored.reference.reply && <p>{m.teamReply}: {scored.reference.reply}</p>}
          {scored.reference.section && <p>{m.cites} <span data-testid="practice-section">{scored.reference.section}</span></p>}
        </div>
      )}
    </li>
  );
}

export function Practice({ workspace, canMentor, onUnauthorized }: { workspace: string; canMentor: boolean; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const { data, error, reload } = useApiData((signal) => training.sets({ workspace, signal }), [workspace], onUnauthorized);
  const [open, setOpen] = useState<number | null>(null);
  const set = useApiData((signal) => (open === null ? Promise.resolve(null) : training.set({ workspace, signal }, open)), [workspace, open], onUnauthorized);
  const [name, setName] = useState('');
  const [size, setSize] = useState(20);
  const [buildError, setBuildError] = useState<unknown>(null);
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  return (
    <section data-testid="practice">
      {canMentor && (
        <form className="card" onSubmit={async (e) => {
          e.preventDefault();
          setBuildError(null);
          try { const s = await training.buildSet({ workspace }, { name, size }); setName(''); reload(); setOpen(s.id); } catch (err) { setBuildError(err); }
        }}>
          <h3>{m.newSet}</h3>
          <label className="field-inline"><span>{m.setName}</span><input data-testid="practice-set-name" value={name} onChange={(e) => setName(e.target.value)} required /></label>
          <label className="field-inline"><span>{m.setSize}</span><input type="number" min={1} max={1000} value={size} onChange={(e) => setSize(Number(e.target.value))} /></label>
          <button type="submit" data-testid="practice-build">{m.build}</button>
          {buildError !== null && <p className="error" role="alert">{errorText(buildError, t)}</p>}
        </form>
      )}
      <h3>{m.sets}</h3>
      {data && data.sets.length === 0 && <p className="empty">{m.setsEmpty}</p>}
      <ul className="row-tags">
        {(data?.sets ?? []).map((s) => <li key={s.id}><button type="button" className={open === s.id ? '' : 'secondary'} data-testid="practice-set" onClick={() => setOpen(s.id)}>{s.name} ({s.cases})</button></li>)}
      </ul>
      {set.data && <ul className="draft-list">{set.data.cases.map((c) => <CaseCard key={c.id} c={c} workspace={workspace} />)}</ul>}
      {canMentor && <Grading workspace={workspace} onUnauthorized={onUnauthorized} />}
    </section>
  );
}
