// The filter bar: view (all, mine, unassigned, my teams), status, platform, label, search, and
// saved views (choose one, or save the current filters under a name).
import { useEffect, useState } from 'react';
import { request } from '../../api.js';
import { useI18n } from '../../i18n.js';
import { inboxApi, type Filters, type SavedView } from './inboxApi.js';

const STATUS_SETS: Record<string, string[] | undefined> = {
  active: undefined, new: ['new'], open: ['open'], waiting: ['waiting'], snoozed: ['snoozed'], done: ['done'],
  everything: ['new', 'open', 'waiting', 'done', 'snoozed'],
};
const statusSetOf = (s: string[] | undefined) => Object.keys(STATUS_SETS).find((k) => (STATUS_SETS[k] ?? []).join() === (s ?? []).join()) ?? 'active';

interface Props {
  workspace: string;
  filters: Filters;
  onChange: (f: Filters) => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
  labels: string[];
}

export function InboxFilters({ workspace, filters, onChange, searchRef, labels }: Props) {
  const { t } = useI18n();
  const m = t.inbox;
  const [q, setQ] = useState(filters.q ?? '');
  const [platforms, setPlatforms] = useState<string[]>([]);
  const [views, setViews] = useState<SavedView[]>([]);
  const [viewName, setViewName] = useState('');

  useEffect(() => {
    request<{ connections: { platform: string }[] }>('GET', '/connections', { workspace })
      .then((r) => setPlatforms([...new Set(r.connections.map((c) => c.platform))].sort()))
      .catch(() => setPlatforms([]));
    inboxApi(workspace).views().then((r) => setViews(r.views)).catch(() => setViews([]));
  }, [workspace]);
  useEffect(() => setQ(filters.q ?? ''), [filters.q]);

  async function save() {
    const name = viewName.trim();
    if (!name) return;
    await inboxApi(workspace).saveView(name, filters);
    setViewName('');
    setViews((await inboxApi(workspace).views()).views);
  }

  return (
    <div className="inbox-filters" data-testid="inbox-filters">
      <label className="field-inline">
        <span>{m.view}</span>
        <select data-testid="filter-view" value={filters.view ?? 'all'} onChange={(e) => onChange({ ...filters, view: e.target.value as Filters['view'] })}>
          {Object.entries(m.views).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
        </select>
      </label>
      <label className="field-inline">
        <span>{m.statusFilter}</span>
        <select data-testid="filter-status" value={statusSetOf(filters.status)} onChange={(e) => onChange({ ...filters, status: STATUS_SETS[e.target.value] })}>
          {Object.keys(STATUS_SETS).map((k) => <option key={k} value={k}>{m.statusSets[k]}</option>)}
        </select>
      </label>
      <label className="field-inline">
        <span>{m.platform}</span>
        <select data-testid="filter-platform" value={filters.platform?.[0] ?? ''} onChange={(e) => onChange({ ...filters, platform: e.target.value ? [e.target.value] : undefined })}>
          <option value="">{m.anyPlatform}</option>
          {platforms.map((p) => <option key={p} value={p}>{p}</option>)}
        </select>
      </label>
      <label className="field-inline">
        <span>{m.labelFilter}</span>
        <select data-testid="filter-label" value={filters.labels?.[0] ?? ''} onChange={(e) => onChange({ ...filters, labels: e.target.value ? [e.target.value] : undefined })}>
          <option value="">{m.anyLabel}</option>
          {labels.map((l) => <option key={l} value={l}>{l}</option>)}
        </select>
      </label>
      <label className="field-inline">
        <span>{t.metrics.slaFilter}</span>
        <select data-testid="filter-sla" value={filters.sla ?? ''} onChange={(e) => onChange({ ...filters, sla: (e.target.value || undefined) as Filters['sla'] })}>
          <option value="">{t.metrics.slaAny}</option>
          <option value="breached">{t.metrics.slaBreached}</option>
          <option value="due_soon">{t.metrics.slaDueSoon}</option>
        </select>
      </label>
      <form className="inbox-search" role="search" onSubmit={(e) => { e.preventDefault(); onChange({ ...filters, q: q.trim() || undefined }); }}>
        <input ref={searchRef} type="search" data-testid="filter-search" aria-label={m.search} placeholder={m.searchPlaceholder} value={q} onChange={(e) => setQ(e.target.value)} />
      </form>
      <label className="field-inline">
        <span>{m.savedViews}</span>
        <select data-testid="saved-views" value="" onChange={(e) => { const v = views.find((x) => x.id === e.target.value); if (v) onChange(v.filters); }}>
          <option value="">{m.noSavedView}</option>
          {views.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
        </select>
      </label>
      <form className="inbox-save-view" onSubmit={(e) => { e.preventDefault(); void save(); }}>
        <input data-testid="save-view-name" aria-label={m.saveViewName} placeholder={m.saveViewName} value={viewName} onChange={(e) => setViewName(e.target.value)} maxLength={100} />
        <button type="submit" className="secondary">{m.saveView}</button>
      </form>
    </div>
  );
}
