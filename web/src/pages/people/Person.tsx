// The person page: accounts on every platform, relationship summary, tags and custom fields,
// notes, the timeline across platforms, merges (each can be split again), export and erasure.
// Everything shown from the person or the platforms is text, never markup.
import { useState } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { formatDateTime, formatDuration, formatPercent, useI18n } from '../../i18n.js';
import { conversationHref, pageHref, personHref } from '../../nav.js';
import { SafeLink } from '../../SafeLink.js';
import { useApiData } from '../../useLoader.js';
import { PLATFORM_NAMES } from './platforms.js';
import { peopleApi, saveBlob } from './peopleApi.js';

interface Props { id: number; workspace: string; role: string | null; onUnauthorized: () => void }

const canManage = (role: string | null) => role === 'owner' || role === 'admin' || role === 'manager';
const canAdmin = (role: string | null) => role === 'owner' || role === 'admin';

export function Person({ id, workspace, role, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const m = t.people;
  const api = peopleApi(workspace);
  const { data, loading, error, reload } = useApiData((s) => api.get(id, s), [workspace, id], onUnauthorized);
  const [note, setNote] = useState('');
  const [tags, setTags] = useState<string | null>(null);
  const [fields, setFields] = useState<[string, string][] | null>(null);
  const [mergeFrom, setMergeFrom] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const canWrite = role !== 'analyst' && role !== 'trainee';

  async function act<T>(fn: () => Promise<T>, ok?: string): Promise<T | undefined> {
    setMsg(null);
    try {
      const r = await fn();
      if (ok) setMsg({ ok: true, text: ok });
      reload();
      return r;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { onUnauthorized(); return undefined; }
      setMsg({ ok: false, text: `${m.actionFailed} ${errorText(err, t)}` });
      return undefined;
    }
  }

  if (error) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)} <button type="button" onClick={reload}>{m.retry}</button></p>;
  if (loading && !data) return <p className="muted">{t.loading}</p>;
  if (!data) return null;
  // A merged person's address shows the person it went into: keep the address honest.
  if (data.person.id !== id) window.location.replace(personHref(data.person.id));
  const p = data.person;
  const s = data.summary;
  const hostility = s.tone.filter((x) => x.hostility !== null);
  const tagText = tags ?? p.tags.join(', ');
  const fieldRows = fields ?? Object.entries(p.fields);

  return (
    <section data-testid="person" data-person={p.id}>
      <p><a href={pageHref('people')}>← {m.back}</a></p>
      <h1 data-testid="person-name">{p.displayName ?? `#${p.id}`} <span className="badge">{m.levels[s.level]}</span></h1>
      {p.erasedAt && <p className="notice">{m.erased}</p>}
      {msg && <p className={msg.ok ? 'notice' : 'error'} role={msg.ok ? 'status' : 'alert'} data-testid="person-notice">{msg.text}</p>}

      <h2>{m.identities}</h2>
      <ul data-testid="person-identities">
        {data.identities.map((d) => (
          <li key={d.id} data-testid="person-identity" data-platform={d.platform}>
            <strong>{PLATFORM_NAMES[d.platform] ?? d.platform}</strong> {d.handle ?? ''} {d.displayName ? `(${d.displayName})` : ''}
            {d.profileUrl && <> · <SafeLink href={d.profileUrl}>{d.profileUrl}</SafeLink></>}
            {d.email && <> · {d.email}{d.emailVerified ? ' ✓' : ''}</>}
          </li>
        ))}
      </ul>

      <h2>{m.summary}</h2>
      <dl className="people-summary" data-testid="person-summary">
        <dt>{m.firstSeen}</dt><dd>{p.firstSeenAt ? formatDateTime(p.firstSeenAt, locale) : m.never}</dd>
        <dt>{m.lastContact}</dt><dd data-testid="person-last-contact">{s.lastTeamAt ? formatDateTime(s.lastTeamAt, locale) : m.never}</dd>
        <dt>{m.columns.items}</dt><dd>{s.items90} · {m.perMonth(s.perMonth)}</dd>
        <dt>{m.columns.reach}</dt><dd>{s.reach90}</dd>
        <dt>{m.answered(s.answered, s.items)}</dt><dd>{s.answeredShare === null ? '–' : formatPercent(s.answeredShare, locale)}{s.medianAnswerSeconds !== null ? ` · ${m.medianAnswer} ${formatDuration(s.medianAnswerSeconds, locale)}` : ''}</dd>
        <dt title={m.reciprocityHelp}>{m.reciprocity}</dt><dd>{s.reciprocity === null ? '–' : formatPercent(s.reciprocity, locale)}</dd>
        <dt title={m.toneHelp}>{m.tone}</dt>
        <dd>{hostility.length ? hostility.map((x) => `${x.month}: ${x.hostility!.toFixed(2)}`).join(' · ') : m.noTone}<div className="muted">{m.toneHelp}</div></dd>
        <dt title={m.sentimentHelp}>{m.sentiment}</dt>
        <dd data-testid="person-sentiment">{s.tone.length ? s.tone.map((x) => `${x.month}: ${x.sentiment > 0 ? '+' : ''}${x.sentiment.toFixed(2)} (${m.sentimentCounts(x.positive, x.negative, x.items)})`).join(' · ') : m.noPosts}<div className="muted">{m.sentimentHelp}</div></dd>
      </dl>
      <p className="muted">{m.levelFormula}</p>

      {canWrite && !p.erasedAt && (
        <>
          <h2>{m.tags} / {m.fields}</h2>
          <form className="people-filters" onSubmit={(e) => {
            e.preventDefault();
            const tagList = tagText.split(',').map((x) => x.trim()).filter(Boolean);
            void act(() => api.update(p.id, { tags: tagList, fields: Object.fromEntries(fieldRows.filter(([k]) => k.trim())) }), m.saved).then(() => { setTags(null); setFields(null); });
          }}>
            <input aria-label={m.tags} placeholder={m.tagsPlaceholder} value={tagText} onChange={(e) => setTags(e.target.value)} data-testid="person-tags" />
            {fieldRows.map(([k, v], i) => (
              <span key={i}>
                <input aria-label={m.fieldName} placeholder={m.fieldName} value={k} onChange={(e) => setFields(fieldRows.map((r, j) => (j === i ? [e.target.value, r[1]] : r)))} />
                <input aria-label={m.fieldValue} placeholder={m.fieldValue} value={v} onChange={(e) => setFields(fieldRows.map((r, j) => (j === i ? [r[0], e.target.value] : r)))} />
              </span>
            ))}
            <button type="button" className="secondary" onClick={() => setFields([...fieldRows, ['', '']])}>{m.addField}</button>
            <button type="submit">{m.save}</button>
          </form>
          <form className="people-note" onSubmit={(e) => { e.preventDefault(); void act(() => api.note(p.id, note), m.noteSaved).then((r) => { if (r) setNote(''); }); }}>
            <textarea aria-label={m.addNote} placeholder={m.notePlaceholder} value={note} onChange={(e) => setNote(e.target.value)} maxLength={10000} required data-testid="person-note-text" />
            <button type="submit" data-testid="person-note-save">{m.saveNote}</button>
          </form>
        </>
      )}

      <h2>{m.merges}</h2>
      <ul data-testid="person-merges">
        {data.merges.map((x) => (
          <li key={x.id} data-testid="person-merge">
            {m.mergedFrom(x.fromPerson, x.identities)} · {formatDateTime(x.at, locale)} · {m.by} {x.actor}
            {x.evidence && <span className="muted"> · {x.evidence.map((e) => m.evidence[e.kind] ?? e.kind).join(', ')}</span>}
            {x.split ? <span className="muted"> · {m.wasSplit}</span>
              : canManage(role) && <> <button type="button" className="secondary" data-testid="person-split" onClick={() => void act(() => api.split(x.id), m.saved)}>{m.split}</button></>}
          </li>
        ))}
      </ul>
      {canManage(role) && !p.erasedAt && (
        <form className="people-filters" onSubmit={(e) => { e.preventDefault(); void act(() => api.merge(p.id, Number(mergeFrom)), m.saved).then(() => setMergeFrom('')); }}>
          <label>{m.mergeWith} <input type="number" min={1} value={mergeFrom} onChange={(e) => setMergeFrom(e.target.value)} required data-testid="person-merge-from" /></label>
          <button type="submit" data-testid="person-merge-submit">{m.merge}</button>
        </form>
      )}

      <h2>{m.timeline}</h2>
      <ol className="people-timeline" data-testid="person-timeline">
        {data.timeline.map((x) => (
          <li key={`${x.kind}-${x.id}-${x.at}`} data-kind={x.kind}>
            <span className="muted">{formatDateTime(x.at, locale)} · {m.timelineKinds[x.kind]}{x.platform ? ` · ${PLATFORM_NAMES[x.platform] ?? x.platform}` : ''}{x.actor ? ` · ${x.actor}` : ''}</span>
            <div className="people-text">{x.kind === 'moderation' ? `${x.text ?? ''} → ${x.moderation ?? ''}` : x.text}</div>
            {x.conversationId !== null && <a href={conversationHref(x.conversationId)}>{m.openConversation}</a>}
          </li>
        ))}
      </ol>

      {canAdmin(role) && !p.erasedAt && (
        <>
          <h2>{m.privacy}</h2>
          <button type="button" className="secondary" onClick={() => void act(async () => saveBlob(await api.exportJson(p.id), `person-${p.id}.json`))}>{m.exportJson}</button>{' '}
          <button type="button" className="danger" onClick={() => { if (window.confirm(m.eraseConfirm)) void act(() => api.erase(p.id), m.erased); }}>{m.erase}</button>
        </>
      )}
    </section>
  );
}
