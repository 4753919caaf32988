// The inbox part of the API (/api/v1/inbox/…). Texts, names and handles in here are user content.
import type { MisinfoSignal } from '../misinfo/misinfoApi.js';
import { API_BASE, request } from '../../api.js';

export type Status = 'new' | 'open' | 'waiting' | 'done';
export const STATUSES: Status[] = ['new', 'open', 'waiting', 'done'];

export interface Conversation {
  id: number;
  platform: string;
  connection: { id: string; name: string };
  status: Status;
  snoozedUntil: string | null;
  assignee: { id: string; name: string } | null;
  team: { id: string; name: string } | null;
  priority: number;
  labels: string[];
  language: string | null;
  itemCount: number;
  inboundCount: number;
  firstInboundAt: string | null;
  lastInboundAt: string | null;
  lastOutboundAt: string | null;
  awaitingSince: string | null;
  lastItemAt: string;
  version: number;
  preview: { authorHandle: string | null; authorName: string | null; text: string | null; direction: 'inbound' | 'outbound' };
  flagged: boolean;
}

export interface ThreadItem {
  id: number;
  platform: string;
  platformId: string;
  kind: string;
  author: { handle: string | null; displayName: string | null; profileUrl: string | null };
  text: string;
  language: string | null;
  createdAt: string;
  permalink: string | null;
  moderation: string;
  direction: 'inbound' | 'outbound';
  send: { state: 'sending' | 'sent' | 'failed'; error: string | null; by: { id: string; name: string } | null } | null;
  /** Known claims, listed sources, campaigns (src/misinfo) with their evidence. */
  misinfo?: MisinfoSignal[];
  conversationId: number | null;
}

export interface Presence { userId: string; name: string; state: 'viewing' | 'typing' }

export interface ConversationView {
  conversation: Conversation;
  root: ThreadItem | null;
  items: ThreadItem[];
  earlier: ThreadItem[];
  notes: { id: number; text: string; createdAt: string; author: { id: string; name: string } | null; mentions: { id: string; name: string }[] }[];
  history: { id: number; type: string; actor: string; data: any; createdAt: string }[];
  presence: Presence[];
}

export interface Filters {
  view?: 'all' | 'mine' | 'unassigned' | 'team';
  status?: string[];
  platform?: string[];
  language?: string;
  labels?: string[];
  flagged?: boolean;
  q?: string;
  sla?: 'breached' | 'due_soon';
}

export interface SavedView { id: string; name: string; filters: Filters; shared: boolean }
export interface Canned { id: string; name: string; language: string; body: string }
export interface Person { id: string; name: string; handle: string; role: string }

function query(f: Filters, cursor: string | null): string {
  const q = new URLSearchParams({ limit: '50' });
  if (f.view) q.set('view', f.view);
  if (f.status?.length) q.set('status', f.status.join(','));
  if (f.platform?.length) q.set('platform', f.platform.join(','));
  if (f.language) q.set('language', f.language);
  if (f.labels?.length) q.set('labels', f.labels.join(','));
  if (f.flagged !== undefined) q.set('flagged', String(f.flagged));
  if (f.q) q.set('q', f.q);
  if (f.sla) q.set('sla', f.sla);
  if (cursor) q.set('cursor', cursor);
  return q.toString();
}

export const inboxApi = (workspace: string) => ({
  list: (f: Filters, cursor: string | null, signal?: AbortSignal) =>
    request<{ conversations: Conversation[]; nextCursor: string | null }>('GET', `/inbox/conversations?${query(f, cursor)}`, { workspace, signal }),
  get: (id: number, signal?: AbortSignal) => request<ConversationView>('GET', `/inbox/conversations/${id}`, { workspace, signal }),
  status: (id: number, status: Status, snoozeUntil?: string | null) =>
    request<{ changed: boolean; conversation: Conversation }>('POST', `/inbox/conversations/${id}/status`, { workspace, body: { status, snoozeUntil } }),
  assign: (id: number, body: { me?: boolean; userId?: string | null; teamId?: string | null }) =>
    request<{ changed: boolean; conversation: Conversation }>('POST', `/inbox/conversations/${id}/assign`, { workspace, body }),
  labels: (id: number, add: string[], remove: string[]) =>
    request<{ changed: boolean; conversation: Conversation }>('POST', `/inbox/conversations/${id}/labels`, { workspace, body: { add, remove } }),
  bulk: (body: { action: string; ids: number[]; [k: string]: unknown }) => request<{ changed: number[] }>('POST', '/inbox/bulk', { workspace, body }),
  reply: (id: number, text: string) => request<{ itemId: number }>('POST', `/inbox/conversations/${id}/replies`, { workspace, body: { text } }),
  retry: (itemId: number) => request<{ itemId: number }>('POST', `/inbox/replies/${itemId}/retry`, { workspace, body: {} }),
  note: (id: number, text: string) => request<{ id: number }>('POST', `/inbox/conversations/${id}/notes`, { workspace, body: { text } }),
  canned: (q: string, language: string | null) =>
    request<{ canned: Canned[] }>('GET', `/inbox/canned?${new URLSearchParams({ q, ...(language ? { language } : {}) }).toString()}`, { workspace }),
  fillCanned: (id: number, cannedId: string) => request<{ text: string; unknown: string[] }>('POST', `/inbox/conversations/${id}/canned/${cannedId}`, { workspace, body: {} }),
  views: () => request<{ views: SavedView[] }>('GET', '/inbox/views', { workspace }),
  saveView: (name: string, filters: Filters) => request<{ id: string }>('POST', '/inbox/views', { workspace, body: { name, filters } }),
  labelList: () => request<{ labels: { name: string; color: string }[] }>('GET', '/inbox/labels', { workspace }),
  mentions: () => request<{ mentions: { noteId: number; conversationId: number; text: string; createdAt: string; author: string | null; seen: boolean }[] }>('GET', '/inbox/mentions?limit=20', { workspace }),
  presence: (id: number, state: 'viewing' | 'typing' | 'left') => request<{ people: Presence[] }>('POST', `/inbox/conversations/${id}/presence`, { workspace, body: { state } }),
});

/**
 * The workspace's live presence stream. EventSource cannot send the workspace header, so this
 * reads the server-sent events through fetch. Reconnects after a pause when the stream breaks.
 */
export function watchPresence(workspace: string, onChange: (conversationId: number, people: Presence[]) => void): () => void {
  const ctrl = new AbortController();
  (async () => {
    while (!ctrl.signal.aborted) {
      try {
        const res = await fetch(`${API_BASE}/inbox/stream`, { headers: { 'x-workspace': workspace, accept: 'text/event-stream' }, credentials: 'same-origin', signal: ctrl.signal });
        if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += decoder.decode(value, { stream: true });
          let cut;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (!event || !data) continue;
            const parsed = JSON.parse(data);
            if (event === 'snapshot') for (const s of parsed) onChange(s.conversationId, s.people);
            if (event === 'presence') onChange(parsed.conversationId, parsed.people);
          }
        }
      } catch {
        // broken or refused: try again shortly
      }
      if (!ctrl.signal.aborted) await new Promise((r) => setTimeout(r, 3000));
    }
  })();
  return () => ctrl.abort();
}
