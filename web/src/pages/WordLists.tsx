// "Wortlisten": the workspace's own word lists – create, edit (as text, or entry by entry), delete.
// The shipped German and English lists always apply and are not edited here.
import { useState, type FormEvent } from 'react';
import { ApiError } from '../api.js';
import { errorText } from '../errors.js';
import { formatDateTime, useI18n } from '../i18n.js';
import { moderation } from '../moderationApi.js';
import { useApiData } from '../useLoader.js';
import { ListEditor } from './wordlists/ListEditor.js';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const CAN_EDIT = ['owner', 'admin', 'manager'];

interface Props {
  workspace: string;
  role: string | null;
  onUnauthorized: () => void;
}

export function WordLists({ workspace, role, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const w = t.wordLists;
  const { data, error, loading, reload } = useApiData((signal) => moderation.wordLists(workspace, signal), [workspace], onUnauthorized);
  const [open, setOpen] = useState<{ name: string; source: string } | null>(null);
  const [newName, setNewName] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const canEdit = CAN_EDIT.includes(role ?? '');

  function create(event: FormEvent) {
    event.preventDefault();
    const name = newName.trim();
    if (!NAME.test(name)) return setMessage({ ok: false, text: w.badName });
    setMessage(null);
    setOpen({ name, source: data?.lists.find((l) => l.name === name)?.source ?? '' });
    setNewName('');
  }

  async function remove(name: string) {
    if (!window.confirm(w.confirmDelete(name))) return;
    setMessage(null);
    try {
      await moderation.deleteWordList(workspace, name);
      if (open?.name === name) setOpen(null);
      setMessage({ ok: true, text: w.deleted(name) });
      reload();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return onUnauthorized();
      setMessage({ ok: false, text: errorText(err, t) });
    }
  }

  const lists = data?.lists ?? [];
  return (
    <section className="word-lists" aria-labelledby="word-lists-title" aria-busy={loading} data-testid="word-lists-page">
      <div className="page-head"><h1 id="word-lists-title">{w.title}</h1></div>
      <p className="muted">{w.intro}</p>
      {error !== null && (
        <div className="error" role="alert">
          <p>{w.loadFailed} {errorText(error, t)}</p>
          <button type="button" onClick={reload}>{t.retry}</button>
        </div>
      )}
      {loading && !data && <p className="muted">{t.loading}</p>}
      {data && lists.length === 0 && <p className="empty" data-testid="word-lists-empty">{w.none}</p>}
      {lists.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">{w.name}</th>
                <th scope="col" className="num">{w.entries}</th>
                <th scope="col" className="num">{w.allowed}</th>
                <th scope="col">{w.updated}</th>
                <th scope="col" />
              </tr>
            </thead>
            <tbody>
              {lists.map((l) => (
                <tr key={l.name} data-testid="word-list-row" data-list={l.name}>
                  <th scope="row">{l.name}</th>
                  <td className="num" data-testid="word-list-entries">{l.entries.toLocaleString(locale)}</td>
                  <td className="num" data-testid="word-list-allowed">{l.allowed.toLocaleString(locale)}</td>
                  <td><time dateTime={l.updatedAt}>{formatDateTime(l.updatedAt, locale)}</time></td>
                  <td className="nowrap">
                    <button type="button" className="secondary" data-testid="word-list-edit" onClick={() => setOpen({ name: l.name, source: l.source })}>{w.edit}</button>{' '}
                    {canEdit && <button type="button" className="secondary" data-testid="word-list-delete" onClick={() => void remove(l.name)}>{w.delete}</button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {message && <p className={message.ok ? 'notice' : 'error'} role={message.ok ? 'status' : 'alert'} data-testid="word-lists-message">{message.text}</p>}

      {canEdit && !open && (
        <form className="toolbar" onSubmit={create}>
          <label className="field-inline">
            <span>{w.newName}</span>
            <input data-testid="word-list-name" value={newName} maxLength={63} placeholder="lokale-liste" onChange={(e) => setNewName(e.target.value)} />
          </label>
          <button type="submit" data-testid="word-list-create">{w.create}</button>
          <small className="muted">{w.nameHint}</small>
        </form>
      )}

      {open && data && (
        <ListEditor key={open.name} workspace={workspace} name={open.name} initial={open.source} maxChars={data.maxChars}
          onSaved={reload} onClose={() => setOpen(null)} onUnauthorized={onUnauthorized} />
      )}
    </section>
  );
}
