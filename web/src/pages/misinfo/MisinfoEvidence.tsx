// Misinformation signals with their evidence, for the review queue and the inbox: the known claim
// with the matched passage marked in the item's text, the listed source, the suspected campaign.
// Everything is user or imported content and is rendered as text (React escapes it).
import { useState } from 'react';
import { formatDateTime, formatPercent, useI18n } from '../../i18n.js';
import { SafeLink } from '../../SafeLink.js';
import type { MisinfoSignal } from './misinfoApi.js';
import { misinfoApi } from './misinfoApi.js';
import { errorText } from '../../errors.js';

interface Props { signals: MisinfoSignal[]; text: string; itemId?: number; workspace?: string }

/** The item's text with [start, end) marked, when the offsets fit it. */
function Passage({ text, start, end }: { text: string; start: number; end: number }) {
  if (!(start >= 0 && end <= text.length && start < end)) return null;
  return (
    <q className="misinfo-passage" data-testid="misinfo-passage">
      {text.slice(Math.max(0, start - 40), start)}<mark>{text.slice(start, end)}</mark>{text.slice(end, end + 40)}
    </q>
  );
}

export function MisinfoEvidence({ signals, text, itemId, workspace }: Props) {
  const { t, locale } = useI18n();
  const m = t.misinfo;
  const [status, setStatus] = useState<string | null>(null);
  const shown = signals.filter((s) => ['claim', 'domain', 'campaign', 'link_wave', 'newcomer_burst'].includes(s.kind));
  if (!shown.length) return null;
  async function counterReply(claimId: string) {
    if (!workspace || itemId === undefined) return;
    try {
      await misinfoApi(workspace).counterReply(itemId, claimId);
      setStatus(m.counterReplySent);
    } catch (err) {
      setStatus(errorText(err, t));
    }
  }
  return (
    <ul className="misinfo-evidence" data-testid="misinfo-evidence">
      {shown.map((s, i) => {
        const e = s.evidence ?? {};
        if (s.kind === 'claim') return (
          <li key={i} className="misinfo-claim" data-testid="misinfo-claim">
            <strong>{m.evidenceClaim(m.verdicts[String(s.label)] ?? String(s.label), formatPercent(Number(s.score ?? 0), locale))}</strong>
            {typeof e.claim === 'string' && <span className="misinfo-claim-text">: {e.claim}</span>}
            {typeof e.start === 'number' && <div><span className="muted">{m.passage}: </span><Passage text={text} start={e.start} end={e.end} /></div>}
            {typeof e.factCheckUrl === 'string' && <div><SafeLink href={e.factCheckUrl}>{m.factCheck}</SafeLink></div>}
            {workspace && itemId !== undefined && typeof e.claimId === 'string' && (
              <button type="button" className="secondary" data-testid="misinfo-counter-reply" onClick={() => void counterReply(e.claimId)}>{m.counterReply}</button>
            )}
          </li>
        );
        if (s.kind === 'domain') return (
          <li key={i} className="misinfo-domain" data-testid="misinfo-domain">
            <strong>{m.evidenceDomain(m.categories[String(s.label)] ?? String(s.label))}</strong> {String(e.domain ?? '')}
            {e.note ? <span className="muted"> – {String(e.note)}</span> : null}
            {e.via ? <span className="muted"> ({m.via(String(e.via))})</span> : null}
          </li>
        );
        const span = typeof e.firstSeen === 'string' && typeof e.lastSeen === 'string' ? m.evidenceSpan(formatDateTime(e.firstSeen, locale), formatDateTime(e.lastSeen, locale)) : '';
        const names = Array.isArray(e.named) && e.named.length ? <div><span className="muted">{m.evidenceNamed}: </span>{e.named.map(String).join(', ')}</div> : null;
        if (s.kind === 'link_wave') return (
          <li key={i} className="misinfo-wave" data-testid="misinfo-link-wave">
            <strong>{m.evidenceLinkWave(Number(e.accounts ?? 0), Number(e.newAccounts ?? 0), Number(e.windowHours ?? 0))}</strong>
            <div className="misinfo-link">{String(e.link ?? '')}</div>
            <div className="muted">{span} · {m.evidenceNewDays(Number(e.newAccountDays ?? 0))}</div>
            {names}
          </li>
        );
        if (s.kind === 'newcomer_burst') return (
          <li key={i} className="misinfo-wave" data-testid="misinfo-newcomers">
            <strong>{m.evidenceNewcomers(Number(e.authors ?? 0), Number(e.windowMinutes ?? 0))}</strong>
            <div className="muted">{span}</div>
            {names}
          </li>
        );
        return (
          <li key={i} className="misinfo-campaign" data-testid="misinfo-campaign">
            <strong>{m.evidenceCampaign(Number(e.items ?? 0), Number(e.accounts ?? 0))}</strong> <a href="#/misinfo">{m.campaign(Number(e.campaignId))}</a>
          </li>
        );
      })}
      {status && <li role="status" className="muted">{status}</li>}
    </ul>
  );
}
