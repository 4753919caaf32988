// The SLA countdown of one conversation: what is due next and how long is left (or how late it
// is), ticking every second from the server's clock (its `now` and each due time), re-read every 15 s.
import { useEffect, useState } from 'react';
import { ApiError } from '../../api.js';
import { formatDuration, useI18n } from '../../i18n.js';
import { sla, type ConversationSla } from '../../slaApi.js';

const REFRESH_MS = 15_000;
const SOON_S = 3_600;

export function SlaCountdown({ workspace, conversationId, version, onUnauthorized }: { workspace: string; conversationId: number | string; version?: number; onUnauthorized?: () => void }) {
  const { t, locale } = useI18n();
  const m = t.metrics;
  const [data, setData] = useState<{ sla: ConversationSla; fetchedAt: number } | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ctrl = new AbortController();
    const load = () => sla.conversation(workspace, conversationId, ctrl.signal).then(
      (s) => setData({ sla: s, fetchedAt: Date.now() }),
      (err: unknown) => { if (err instanceof ApiError && err.status === 401) onUnauthorized?.(); });
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    const ticker = setInterval(() => setTick((n) => n + 1), 1_000);
    return () => { ctrl.abort(); clearInterval(timer); clearInterval(ticker); };
  }, [workspace, conversationId, version, onUnauthorized]);

  if (!data) return null;
  void tick;
  const s = data.sla;
  if (!s.policy) return <span className="sla-badge" data-testid="sla-badge" data-state="none">{m.badgeNone}</span>;
  const next = s.due[0];
  if (!next) return <span className="sla-badge" data-testid="sla-badge" data-state="met">{m.badgeDone}</span>;
  // Seconds left now: the server's answer minus the time since it came.
  const left = next.secondsLeft - Math.floor((Date.now() - data.fetchedAt) / 1000);
  const kind = m.dueKinds[next.kind] ?? next.kind;
  const state = left <= 0 ? 'overdue' : left <= SOON_S ? 'soon' : 'running';
  return (
    <span className={`sla-badge ${state}`} data-testid="sla-badge" data-state={state} data-kind={next.kind} data-due={next.at} title={s.policy.name}>
      {left <= 0 ? m.badgeOverdue(kind, formatDuration(-left, locale)) : m.badgeDueIn(kind, formatDuration(left, locale))}
    </span>
  );
}
