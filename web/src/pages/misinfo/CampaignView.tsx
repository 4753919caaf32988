// One suspected campaign: its items, accounts (with account age where the platform gives it),
// platforms, first and last seen, a timeline, and one action for all its items.
import { useState, type FormEvent } from 'react';
import { errorText } from '../../errors.js';
import { formatDateTime, useI18n } from '../../i18n.js';
import { useApiData } from '../../useLoader.js';
import { misinfoApi, type CampaignAction } from './misinfoApi.js';

interface Props { workspace: string; id: number; onBack: () => void; onUnauthorized: () => void }

export function CampaignView({ workspace, id, onBack, onUnauthorized }: Props) {
  const { t, locale } = useI18n();
  const m = t.misinfo;
  const api = misinfoApi(workspace);
  const { data, error, reload } = useApiData((signal) => api.campaign(id, signal), [workspace, id], onUnauthorized);
  const [action, setAction] = useState<'hold' | 'hide' | 'label' | 'reply'>('hold');
  const [value, setValue] = useState('');
  const [status, setStatus] = useState<string | null>(null);

  async function apply(e: FormEvent) {
    e.preventDefault();
    const body: CampaignAction = action === 'label' ? { action, label: value } : action === 'reply' ? { action, text: value } : { action };
    try {
      const r = await api.campaignAction(id, body);
      setStatus(m.applied(r.changed, r.items));
      reload();
    } catch (err) { setStatus(errorText(err, t)); }
  }
  const top = Math.max(1, ...(data?.timeline ?? []).map((p) => p.items));
  return (
    <div className="campaign" data-testid="campaign-view">
      <button type="button" className="link" onClick={onBack}>← {m.back}</button>
      {error !== null && <div className="error" role="alert"><p>{m.loadFailed} {errorText(error, t)}</p><button type="button" onClick={reload}>{t.retry}</button></div>}
      {data && (
        <>
          <h2>{m.campaign(id)}</h2>
          <dl className="campaign-facts">
            <dt>{m.items}</dt><dd data-testid="campaign-items-count">{data.items.length}</dd>
            <dt>{m.accounts}</dt><dd data-testid="campaign-accounts-count">{data.accounts.length}</dd>
            <dt>{m.platforms}</dt><dd>{data.platforms.join(', ')}</dd>
            <dt>{m.firstSeen}</dt><dd>{formatDateTime(data.firstSeen, locale)}</dd>
            <dt>{m.lastSeen}</dt><dd>{formatDateTime(data.lastSeen, locale)}</dd>
          </dl>
          <h3>{m.timeline}</h3>
          <ul className="bars" aria-label={m.timeline}>
            {data.timeline.map((p) => (
              <li key={p.hour}><span className="bar-name">{formatDateTime(p.hour + ':00Z', locale)}</span><span className="bar" style={{ width: `${(p.items / top) * 100}%` }} /> {p.items}</li>
            ))}
          </ul>
          <form className="campaign-action" onSubmit={(e) => void apply(e)}>
            <h3>{m.bulkTitle}</h3>
            <select data-testid="campaign-action" value={action} onChange={(e) => setAction(e.target.value as typeof action)}>
              <option value="hold">{m.hold}</option><option value="hide">{m.hide}</option><option value="label">{m.label}</option><option value="reply">{m.reply}</option>
            </select>
            {(action === 'label' || action === 'reply') && (
              <input aria-label={action === 'label' ? m.labelName : m.replyText} data-testid="campaign-action-value" value={value} onChange={(e) => setValue(e.target.value)} required />
            )}
            <button type="submit" data-testid="campaign-apply">{m.apply}</button>
            {status && <span role="status" data-testid="campaign-status"> {status}</span>}
          </form>
          <h3>{m.accounts}</h3>
          <ul className="campaign-accounts">
            {data.accounts.map((a, i) => (
              <li key={i} data-testid="campaign-account">
                {a.handle ?? a.id ?? '?'} <span className="muted">· {a.platform} · {m.accountItems(a.items, a.itemsInWorkspace)} · {a.accountCreated ? `${m.accountAge} ${formatDateTime(a.accountCreated, locale)}` : m.unknownAge}</span>
              </li>
            ))}
          </ul>
          <h3>{m.items}</h3>
          <ul className="campaign-items">
            {data.items.map((it) => (
              <li key={it.id} data-testid="campaign-item" data-moderation={it.moderation}>
                <span className="muted">{it.author.handle ?? it.author.displayName ?? '?'} · {it.platform} · {formatDateTime(it.createdAt, locale)}{it.moderation !== 'visible' ? ` · ${t.states[it.moderation] ?? it.moderation}` : ''}</span>
                <p>{it.text}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
