// The community guidelines and the reply style guide, rendered safely; managers edit the Markdown.
import { useState } from 'react';
import { errorText } from '../../errors.js';
import { useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { Markdown } from './Markdown.js';
import { training, type GuidelineDoc } from './trainingApi.js';

function Doc({ doc, workspace, canEdit, onSaved }: { doc: GuidelineDoc; workspace: string; canEdit: boolean; onSaved: () => void }) {
  const { t } = useI18n();
  const m = t.training;
  const [editing, setEditing] = useState(false);
  const [title, setTitle] = useState(doc.title);
  const [body, setBody] = useState(doc.body);
  const [error, setError] = useState<unknown>(null);
  return (
    <article className="card guideline" data-testid={`guideline-${doc.slug}`}>
      {editing ? (
        <form onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try { await training.saveGuidelines({ workspace }, doc.slug, { title, body }); setEditing(false); onSaved(); } catch (err) { setError(err); }
        }}>
          <label className="field"><span>{m.docTitle}</span><input value={title} onChange={(e) => setTitle(e.target.value)} /></label>
          <label className="field"><span>{m.docBody}</span><textarea data-testid="guideline-body" rows={16} value={body} onChange={(e) => setBody(e.target.value)} /></label>
          <button type="submit" data-testid="guideline-save">{m.saveGuidelines}</button>
          {error !== null && <p className="error" role="alert">{errorText(error, t)}</p>}
        </form>
      ) : (
        <>
          <h2>{doc.title}</h2>
          <Markdown source={doc.body} anchors={doc.sections.map((s) => s.anchor)} idPrefix={doc.slug} />
          {canEdit && <button type="button" className="secondary" data-testid="guideline-edit" onClick={() => setEditing(true)}>{m.editGuidelines}</button>}
        </>
      )}
    </article>
  );
}

export function Guidelines({ workspace, canEdit, onUnauthorized }: { workspace: string; canEdit: boolean; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const { data, error, reload } = useApiData((signal) => training.guidelines({ workspace, signal }), [workspace], onUnauthorized);
  if (error !== null) return <p className="error" role="alert">{t.training.loadFailed} {errorText(error, t)}</p>;
  if (!data) return <p className="muted">{t.loading}</p>;
  return <section data-testid="guidelines">{data.documents.map((d) => <Doc key={d.slug} doc={d} workspace={workspace} canEdit={canEdit} onSaved={reload} />)}</section>;
}
