// Drafts: the mentor queue (approve, edit and approve, return with feedback), the trainee's own
// feed (the mentor's edit as a diff, the feedback), and writing a reply draft.
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { formatDateTime, useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { Diff } from './Diff.js';
import { training, type Draft, type GuidelineDoc } from './trainingApi.js';

interface P { workspace: string; onUnauthorized: () => void }

function Context({ d }: { d: Draft }) {
  const { t } = useI18n();
  const m = t.training;
  return (
    <>
      {d.context && <blockquote className="draft-context"><span className="muted">{m.answersTo}: </span>{d.context}</blockquote>}
      {d.kind === 'decision' && <p>{m.decisionDraft(d.decision ?? '', d.category)}</p>}
    </>
  );
}

function ReviewForm({ d, skills, docs, workspace, onDone }: { d: Draft; skills: string[]; docs: GuidelineDoc[]; workspace: string; onDone: (msg: string) => void }) {
  const { t } = useI18n();
  const m = t.training;
  const [text, setText] = useState(d.text ?? '');
  const [comment, setComment] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [section, setSection] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const feedback = { comment: comment.trim() || undefined, tags, section: section || null };
  async function act(kind: 'approve' | 'return') {
    setBusy(true);
    setError(null);
    try {
      if (kind === 'approve') await training.approve({ workspace }, d.id, { ...feedback, ...(d.kind === 'reply' && text !== d.text ? { text } : {}) });
      else await training.giveBack({ workspace }, d.id, feedback);
      onDone(kind === 'approve' ? m.approved : m.returned);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  }
  return (
    <div className="review-form">
      {d.kind === 'reply' && (
        <label className="field"><span>{m.editText}</span>
          <textarea data-testid="mentor-text" rows={3} value={text} onChange={(e) => setText(e.target.value)} /></label>
      )}
      <label className="field"><span>{m.comment}</span>
        <textarea data-testid="mentor-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} /></label>
      <fieldset className="tags-field"><legend>{m.tags}</legend>
        {skills.map((s) => (
          <label key={s} className="check"><input type="checkbox" data-testid={`mentor-tag-${s}`} checked={tags.includes(s)}
            onChange={(e) => setTags(e.target.checked ? [...tags, s] : tags.filter((x) => x !== s))} /> {s}</label>
        ))}
      </fieldset>
      <label className="field"><span>{m.section}</span>
        <select data-testid="mentor-section" value={section} onChange={(e) => setSection(e.target.value)}>
          <option value="">{m.noSection}</option>
          {docs.flatMap((doc) => doc.sections.map((s) => <option key={`${doc.slug}#${s.anchor}`} value={`${doc.slug}#${s.anchor}`}>{doc.title} – {s.title}</option>))}
        </select></label>
      <div className="actions">
        <button type="button" data-testid="mentor-approve" disabled={busy} onClick={() => void act('approve')}>{d.kind === 'reply' && text !== d.text ? m.approveEdited : m.approve}</button>
        <button type="button" className="secondary" data-testid="mentor-return" disabled={busy || !comment.trim()} onClick={() => void act('return')}>{m.returnDraft}</button>
      </div>
      {error !== null && <p className="error" role="alert">{errorText(error, t)}</p>}
    </div>
  );
}

export function MentorQueue({ workspace, onUnauthorized }: P) {
  const { t, locale } = useI18n();
  const m = t.training;
  const [notice, setNotice] = useState('');
  const { data, error, reload } = useApiData(async (signal) => {
    const [q, s, g] = await Promise.all([training.queue({ workspace, signal }), training.settings({ workspace, signal }), training.guidelines({ workspace, signal })]);
    return { drafts: q.drafts, skills: s.skills, docs: g.documents };
  }, [workspace], onUnauthorized);
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  if (!data) return <p className="muted">{t.loading}</p>;
  return (
    <section data-testid="mentor-queue">
      <p className="review-status" role="status" data-testid="mentor-notice">{notice}</p>
      {data.drafts.length === 0 && <p className="empty" data-testid="mentor-queue-empty">{m.queueEmpty}</p>}
      <ul className="draft-list">
        {data.drafts.map((d) => (
          <li key={d.id} className="card" data-testid="mentor-draft">
            <p className="muted">{m.by(d.author.name)} · <time dateTime={d.createdAt}>{formatDateTime(d.createdAt, locale)}</time>
              {d.slaDueAt && <> · <span data-testid="draft-sla">{m.slaDue}: <time dateTime={d.slaDueAt}>{formatDateTime(d.slaDueAt, locale)}</time></span></>}</p>
            <Context d={d} />
            <ReviewForm d={d} skills={data.skills} docs={data.docs} workspace={workspace} onDone={(msg) => { setNotice(msg); reload(); }} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function MyDrafts({ workspace, onUnauthorized }: P) {
  const { t, locale } = useI18n();
  const m = t.training;
  const { data, error } = useApiData((signal) => training.mine({ workspace, signal }), [workspace], onUnauthorized);
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  if (!data) return <p className="muted">{t.loading}</p>;
  return (
    <section data-testid="my-drafts">
      {data.drafts.length === 0 && <p className="empty">{m.mineEmpty}</p>}
      <ul className="draft-list">
        {data.drafts.map((d) => (
          <li key={d.id} className="card" data-testid="my-draft" data-state={d.state}>
            <p className="muted"><span className={`status status-${d.state}`}>{m.states[d.state]}</span> · <time dateTime={d.createdAt}>{formatDateTime(d.createdAt, locale)}</time></p>
            <Context d={d} />
            {d.kind === 'reply' && !d.review?.diff && <p className="thread-text">{d.text}</p>}
            {d.review?.diff && <><h3>{m.mentorEdit}</h3><Diff segments={d.review.diff} /></>}
            {d.review && (d.review.comment || d.review.tags.length > 0) && (
              <div className="feedback" data-testid="my-feedback">
                <h3>{m.feedbackFrom(d.review.reviewer ?? '')}</h3>
                {d.review.comment && <p className="thread-text">{d.review.comment}</p>}
                <p className="row-tags">{d.review.tags.map((tag) => <span key={tag} className="tag">{tag}</span>)}</p>
                {d.review.section && <p>{m.cites} <span data-testid="feedback-section">{d.review.section}</span></p>}
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function WriteDraft({ workspace, onUnauthorized }: P) {
  const { t } = useI18n();
  const m = t.training;
  const { data, error } = useApiData((signal) => training.conversations({ workspace, signal }), [workspace], onUnauthorized);
  const [conv, setConv] = useState('');
  const [text, setText] = useState('');
  const [notice, setNotice] = useState('');
  const [sendError, setSendError] = useState<unknown>(null);
  async function submit() {
    setSendError(null);
    try {
      const res = await training.reply({ workspace }, Number(conv), text);
      setNotice(res.draft ? m.draftWaiting : m.sentDirectly);
      setText('');
    } catch (err) {
      setSendError(err);
    }
  }
  if (error !== null) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)}</p>;
  return (
    <form className="card" data-testid="write-draft" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <label className="field"><span>{m.chooseConversation}</span>
        <select data-testid="write-conversation" value={conv} onChange={(e) => setConv(e.target.value)}>
          <option value="">{m.pickOne}</option>
          {(data?.conversations ?? []).map((c) => <option key={c.id} value={c.id}>{`${c.preview.authorName ?? c.platform}: ${(c.preview.text ?? '').slice(0, 80)}`}</option>)}
        </select></label>
      <label className="field"><span>{m.yourReply}</span>
        <textarea data-testid="write-text" rows={4} value={text} onChange={(e) => setText(e.target.value)} /></label>
      <button type="submit" data-testid="write-submit" disabled={!conv || !text.trim()}>{m.submitDraft}</button>
      <p className="review-status" role="status" data-testid="write-notice">{notice}</p>
      {sendError !== null && <p className="error" role="alert">{errorText(sendError, t)}</p>}
    </form>
  );
}
