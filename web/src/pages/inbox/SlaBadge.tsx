// The SLA countdown in the list row and the conversation header: what is due next (first
// response, next response, resolution) and how long is left, or how late it is. Ticks every
// second against the server's clock; nothing is shown while the conversation has no SLA.
import { formatDuration, useI18n } from '../../i18n.js';
import { useDue } from '../sla/useDue.js';
import type { Conversation } from './inboxApi.js';
import '../metrics/metrics.css';

const SOON_S = 3_600;

export function SlaBadge({ conversation, workspace }: { conversation: Conversation; workspace?: string }) {
  const { t, locale } = useI18n();
  const m = t.metrics;
  const entry = useDue(workspace, conversation.id, conversation.version);
  const due = entry?.due;
  if (!due?.dueAt || !due.dueKind || conversation.status === 'done') return null;
  const left = Math.round((Date.parse(due.dueAt) - (Date.now() + entry!.offsetMs)) / 1000);
  const kind = m.dueKinds[due.dueKind] ?? due.dueKind;
  const state = left <= 0 ? 'overdue' : left <= SOON_S ? 'soon' : 'running';
  return (
    <span className={`sla-badge ${state}`} data-testid="sla-badge" data-state={state} data-kind={due.dueKind} data-due={due.dueAt} title={due.policy ?? undefined}>
      {left <= 0 ? m.badgeOverdue(kind, formatDuration(-left, locale)) : m.badgeDueIn(kind, formatDuration(left, locale))}
    </span>
  );
}
