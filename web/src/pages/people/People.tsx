// "Menschen": keep in touch (with reply in context and a note in one click), everyone with
// filters, segments and CSV export, and the link suggestions to merge or dismiss. A person id in
// the address (#/people/42) shows that person's page instead. User content is text only.
import { useState } from 'react';
import { ApiError } from '../../api.js';
import { errorText } from '../../errors.js';
import { formatDateTime, useI18n } from '../../i18n.js';
import { conversationHref, personHref, useHashId } from '../../nav.js';
import { useApiData } from '../../useLoader.js';
import { PLATFORM_NAMES } from './platforms.js';
import { LEVELS, PAGE, peopleApi, saveBlob, SORTS, type Filter, type KeepRow, type Level, type Sort } from './peopleApi.js';
import { Person } from './Person.js';

interface Props { workspace: string; role: string | null; onUnauthorized: () => void }
type Tab = 'keepInTouch' | 'list' | 'suggestions';

export function People(props: Props) {
  const id = useHashId();
  if (id !== null) return <Person key={id} id={id} {...props} />;
  return <PeopleLists {...props} />;
}

function PeopleLists({ workspace, role, onUnauthorized }: Props) {
  const { t } = useI18n();
  const m = t.people;
  const [tab, setTab] = useState<Tab>('keepInTouch');
  return (
    <section data-testid="people">
      <h1>{m.title}</h1>
      <div className="people-tabs" role="tablist">
        {(['keepInTouch', 'list', 'suggestions'] as Tab[]).map((x) => (
          <button key={x} type="button" role="tab" aria-selected={tab === x} className={tab === x ? '' : 'secondary'} data-testid={`people-tab-${x}`} onClick={() => setTab(x)}>{m.tabs[x]}</button>
        ))}
      </div>
      {tab === 'keepInTouch' && <KeepInTouch workspace={workspace} canWrite={role !== 'analyst' && role !== 'trainee'} onUnauthorized={onUnauthorized} />}
      {tab === 'list' && <Everyone workspace={workspace} canManage={isManager(role)} onUnauthorized={onUnauthorized} />}
      {tab === 'list' && (role === 'owner' || role === 'admin') && <Retention workspace={workspace} onUnauthorized={onUnauthorized} />}
      {tab === 'suggestions' && <Suggestions workspace={workspace} canManage={isManager(role)} onUnauthorized={onUnauthorized} />}
    </section>
  );
}

export const isManager = (role: string | null) => role === 'owner' || role === 'admin' || role === 'manager';

function useAct(onUnauthorized: () => void) {
  const { t } = useI18n();
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  async function act<T>(fn: () => Promise<T>, ok?: (r: T) => string): Promise<T | undefined> {
    setNote(null);
    try {
      const r = await fn();
      if (ok) setNote({ ok: true, text: ok(r) });
      return r;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) { onUnauthorized(); return undefined; }
      setNote({ ok: false, text: `${t.people.actionFailed} ${errorText(err, t)}` });
      return undefined;
    }
  }
  const shown = note && <p className={note.ok ? 'notice' : 'error'} role={note.ok ? 'status' : 'alert'} data-testid="people-notice">{note.text}</p>;
  return { act, shown };
}

function KeepInTouch({ workspace, canWrite, onUnauthorized }: { workspace: string; canWrite: boolean; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const m = t.people;
  const api = peopleApi(workspace);
  const { data, loading, error, reload } = useApiData((s) => api.keepInTouch(s), [workspace], onUnauthorized);
  const [noting, setNoting] = useState<string | null>(null);
  const [text, setText] = useState('');
  const { act, shown } = useAct(onUnauthorized);
  const detail = (r: KeepRow) => r.reason === 'quiet' ? m.quietDetail(r.detail.daysWithoutContact, r.detail.quietDays)
    : r.reason === 'dropped' ? m.droppedDetail(r.detail.last30, r.detail.per30Before) : m.newcomerDetail;
  if (error) return <p className="error" role="alert">{m.loadFailed} {errorText(error, t)} <button type="button" onClick={reload}>{m.retry}</button></p>;
  if (loading && !data) return <p className="muted">{t.loading}</p>;
  const rows = data?.rows ?? [];
  return (
    <div>
      <p className="muted">{m.keepInTouchIntro}</p>
      {shown}
      {!rows.length && <p className="empty" data-testid="keep-empty">{m.keepInTouchEmpty}</p>}
      <ul className="people-keep">
        {rows.map((r) => {
          const key = `${r.reason}-${r.personId}`;
          return (
            <li key={key} data-testid="keep-row" data-reason={r.reason} data-person={r.personId}>
              <div>
                <a href={personHref(r.personId)} data-testid="keep-person">{r.displayName ?? `#${r.personId}`}</a>
                {' '}<span className="badge">{m.levels[r.level]}</span>{' '}
                <strong>{m.reasons[r.reason]}</strong>{r.segment ? ` · ${r.segment}` : ''}
                <div className="muted">{detail(r)}{r.lastItemAt ? ` · ${m.columns.last}: ${formatDateTime(r.lastItemAt, locale)}` : ''}</div>
              </div>
              <div className="nowrap">
                {r.conversationId !== null && <a className="button" href={conversationHref(r.conversationId)} data-testid="keep-reply">{m.replyInContext}</a>}
                {canWrite && <button type="button" className="secondary" data-testid="keep-note" onClick={() => { setNoting(key); setText(''); }}>{m.addNote}</button>}
              </div>
              {noting === key && (
                <form className="people-note" onSubmit={(e) => {
                  e.preventDefault();
                  void act(() => api.note(r.personId, text), () => m.noteSaved).then((ok) => { if (ok) setNoting(null); });
                }}>
                  <textarea data-testid="keep-note-text" value={text} placeholder={m.notePlaceholder} onChange={(e) => setText(e.target.value)} maxLength={10000} required />
                  <button type="submit" data-testid="keep-note-save">{m.saveNote}</button>
                </form>
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function Everyone({ workspace, canManage, onUnauthorized }: { workspace: string; canManage: boolean; onUnauthorized: () => void }) {
  const { t, locale } = useI18n();
  const m = t.people;
  const api = peopleApi(workspace);
  const [filter, setFilterOnly] = useState<Filter>({});
  const [segment, setSegmentOnly] = useState<string | null>(null);
  const [sort, setSortOnly] = useState<Sort>('last');
  const [offset, setOffset] = useState(0);
  // Another filter, segment or order starts again at the first page.
  const setFilter = (f: Filter) => { setFilterOnly(f); setOffset(0); };
  const setSegment = (s: string | null) => { setSegmentOnly(s); setOffset(0); };
  const setSort = (s: Sort) => { setSortOnly(s); setOffset(0); };
  const [segName, setSegName] = useState('');
  const [quietDays, setQuietDays] = useState(30);
  const segments = useApiData((s) => api.segments(s), [workspace], onUnauthorized);
  const { data, loading, error, reload } = useApiData((s) => api.list(filter, segment, { sort, offset }, s), [workspace, JSON.stringify(filter), segment, sort, offset], onUnauthorized);
  const { act, shown } = useAct(onUnauthorized);
  return (
    <div>
      <p className="muted" data-testid="level-formula">{m.levelFormula}</p>
      <div className="people-filters">
        <input type="search" aria-label={m.search} placeholder={m.search} value={filter.q ?? ''} onChange={(e) => setFilter({ ...filter, q: e.target.value || undefined })} />
        <select aria-label={m.columns.level} value={filter.level ?? ''} onChange={(e) => setFilter({ ...filter, level: (e.target.value || undefined) as Level | undefined })}>
          <option value="">{m.allLevels}</option>
          {LEVELS.map((l) => <option key={l} value={l}>{m.levels[l]}</option>)}
        </select>
        <select aria-label={m.columns.platforms} value={filter.platform ?? ''} onChange={(e) => setFilter({ ...filter, platform: e.target.value || undefined })}>
          <option value="">{m.allPlatforms}</option>
          {Object.entries(PLATFORM_NAMES).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
        <input aria-label={m.tag} placeholder={m.tag} value={filter.tags?.[0] ?? ''} onChange={(e) => setFilter({ ...filter, tags: e.target.value ? [e.target.value] : undefined })} />
        <select aria-label={m.segment} value={segment ?? ''} onChange={(e) => setSegment(e.target.value || null)}>
          <option value="">{m.noSegment}</option>
          {(segments.data?.segments ?? []).map((s) => <option key={s.id} value={s.id}>{s.name}</option>)}
        </select>
        <select aria-label={m.sortBy} value={sort} onChange={(e) => setSort(e.target.value as Sort)} data-testid="people-sort">
          {SORTS.map((x) => <option key={x} value={x}>{m.sorts[x]}</option>)}
        </select>
        <button type="button" className="secondary" onClick={() => void act(async () => saveBlob(await api.csv(filter, segment), 'people.csv'))}>{m.exportCsv}</button>
      </div>
      {canManage && !segment && (
        <form className="people-filters" onSubmit={(e) => {
          e.preventDefault();
          void act(() => api.saveSegment(segName, filter, quietDays), () => m.saved).then((r) => { if (r) { setSegName(''); segments.reload(); } });
        }}>
          <input aria-label={m.segmentName} placeholder={m.segmentName} value={segName} onChange={(e) => setSegName(e.target.value)} required maxLength={100} />
          <label>{m.quietDays} <input type="number" min={1} max={3650} value={quietDays} onChange={(e) => setQuietDays(Number(e.target.value))} /></label>
          <button type="submit">{m.saveSegment}</button>
        </form>
      )}
      {shown}
      {error !== null && <p className="error" role="alert">{m.loadFailed} {errorText(error, t)} <button type="button" onClick={reload}>{m.retry}</button></p>}
      {loading && !data && <p className="muted">{t.loading}</p>}
      {data && !data.people.length && <p className="empty">{m.listEmpty}</p>}
      {data && data.people.length > 0 && (
        <table className="people-table">
          <thead><tr>{['name', 'level', 'platforms', 'items', 'reach', 'last', 'team'].map((c) => <th key={c}>{m.columns[c]}</th>)}</tr></thead>
          <tbody>
            {data.people.map((p) => (
              <tr key={p.person_id} data-testid="person-row">
                <td><a href={personHref(p.person_id)}>{p.displayName ?? `#${p.person_id}`}</a><div className="muted">{p.handles.slice(0, 3).join(', ')}</div></td>
                <td>{m.levels[p.level]}</td>
                <td>{p.platforms.map((x) => PLATFORM_NAMES[x] ?? x).join(', ')}</td>
                <td>{p.items_90}</td>
                <td>{p.reach_90}</td>
                <td>{p.last_item_at ? formatDateTime(p.last_item_at, locale) : m.never}</td>
                <td>{p.last_team_at ? formatDateTime(p.last_team_at, locale) : m.never}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {data && data.total > PAGE && (
        <div className="people-filters" data-testid="people-pages">
          <span className="muted">{m.shown(offset + 1, offset + data.people.length, data.total)}</span>
          <button type="button" className="secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>{m.previous}</button>
          <button type="button" className="secondary" disabled={offset + PAGE >= data.total} onClick={() => setOffset(offset + PAGE)} data-testid="people-next">{m.next}</button>
        </div>
      )}
    </div>
  );
}

function Suggestions({ workspace, canManage, onUnauthorized }: { workspace: string; canManage: boolean; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.people;
  const api = peopleApi(workspace);
  const { data, loading, error, reload } = useApiData((s) => api.suggestions(s), [workspace], onUnauthorized);
  const { act, shown } = useAct(onUnauthorized);
  const who = (x: { platform: string; handle: string | null; displayName: string | null; personId: number }) => (
    <a href={personHref(x.personId)}>{x.displayName ?? x.handle ?? `#${x.personId}`} <span className="muted">({PLATFORM_NAMES[x.platform] ?? x.platform}{x.handle ? ` ${x.handle}` : ''})</span></a>
  );
  return (
    <div>
      <p className="muted">{m.suggestionsIntro}</p>
      {canManage && <button type="button" className="secondary" onClick={() => void act(() => api.runLinking(), (r) => m.linked(r.merged, r.weak)).then(reload)}>{m.runLinking}</button>}
      {shown}
      {error !== null && <p className="error" role="alert">{m.loadFailed} {errorText(error, t)} <button type="button" onClick={reload}>{m.retry}</button></p>}
      {loading && !data && <p className="muted">{t.loading}</p>}
      {data && !data.links.length && <p className="empty" data-testid="suggestions-empty">{m.suggestionsEmpty}</p>}
      <ul className="people-keep">
        {(data?.links ?? []).map((l) => (
          <li key={l.id} data-testid="suggestion">
            <div>
              {who(l.a)} ↔ {who(l.b)}
              <ul className="muted">{l.evidence.map((e, i) => <li key={i}>{m.evidence[e.kind] ?? e.kind}: {e.detail}</li>)}</ul>
            </div>
            {canManage && (
              <div className="nowrap">
                <button type="button" data-testid="suggestion-merge" onClick={() => void act(() => api.decide(l.id, 'merge')).then((r) => { if (r) window.location.hash = personHref(r.personId); })}>{m.merge}</button>
                <button type="button" className="secondary" data-testid="suggestion-dismiss" onClick={() => void act(() => api.decide(l.id, 'dismiss')).then(reload)}>{m.dismiss}</button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The workspace's retention of raw platform payloads (admins); the sweep purges older ones. */
function Retention({ workspace, onUnauthorized }: { workspace: string; onUnauthorized: () => void }) {
  const { t } = useI18n();
  const m = t.people;
  const api = peopleApi(workspace);
  const { data } = useApiData((s) => api.retention(s), [workspace], onUnauthorized);
  const [days, setDays] = useState<string | null>(null);
  const { act, shown } = useAct(onUnauthorized);
  const value = days ?? (data?.rawRetentionDays?.toString() ?? '');
  return (
    <form className="people-filters" onSubmit={(e) => {
      e.preventDefault();
      void act(() => api.setRetention(value.trim() ? Number(value) : null), () => m.saved).then(() => setDays(null));
    }}>
      <h2>{m.privacy}</h2>
      <label>{m.retention} <input type="number" min={1} max={36500} value={value} onChange={(e) => setDays(e.target.value)} data-testid="retention-days" /></label>
      <button type="submit">{m.save}</button>
      {shown}
    </form>
  );
}
