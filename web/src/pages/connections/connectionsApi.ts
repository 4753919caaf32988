// The connections part of the API: the capability matrix, the connections with their state, and
// what a person does with them (add, test, pause, resume, read now, re-authorise, remove).
import { request } from '../../api.js';

export type ActionType = 'reply' | 'hide' | 'unhide' | 'delete' | 'ban' | 'mute' | 'report';
export interface ConnectorInfo {
  platform: string;
  read: string[];
  act: ActionType[];
  missing: Partial<Record<ActionType, { de: string; en: string }>>;
}
export interface Matrix { readModes: string[]; actions: ActionType[]; connectors: ConnectorInfo[] }

export interface Connection {
  id: string; platform: string; name: string; status: 'active' | 'paused' | 'needs_reauth';
  lastPolledAt: string | null; lastItemAt: string | null; lastError: string | null;
  hasCredentials: boolean; itemCount: number; pendingActions: number;
}

export const connectionsApi = {
  matrix: (ws: string, signal?: AbortSignal) => request<Matrix>('GET', '/connectors', { workspace: ws, signal }),
  list: (ws: string, signal?: AbortSignal) => request<{ connections: Connection[] }>('GET', '/connections/status', { workspace: ws, signal }),
  add: (ws: string, platform: string, body: { name: string; settings: Record<string, unknown>; credentials: Record<string, unknown> }) =>
    request<{ id: string; account: string }>('POST', `/connectors/${encodeURIComponent(platform)}/connections`, { workspace: ws, body }),
  test: (ws: string, id: string) => request<{ ok: true; account: string; lastItemAt: string | null }>('POST', `/connections/${id}/test`, { workspace: ws }),
  pause: (ws: string, id: string) => request<{ status: string }>('POST', `/connections/${id}/pause`, { workspace: ws }),
  resume: (ws: string, id: string) => request<{ status: string }>('POST', `/connections/${id}/resume`, { workspace: ws }),
  pollNow: (ws: string, id: string) => request<{ ok: true }>('POST', `/connections/${id}/poll`, { workspace: ws }),
  reauthorise: (ws: string, id: string, credentials: Record<string, unknown>) =>
    request<{ ok: true; account: string }>('PUT', `/connections/${id}/credentials`, { workspace: ws, body: { credentials } }),
  remove: (ws: string, id: string) => request<{ ok: true }>('DELETE', `/connections/${id}`, { workspace: ws }),
};

/** The form fields per platform: name, input type, whether it is a credential, default. */
export interface Field { name: string; type: 'text' | 'password' | 'number' | 'checkbox' | 'url' | 'email' | 'kind'; secret?: boolean; optional?: boolean; initial?: string | boolean }
export const FIELDS: Record<string, Field[]> = {
  bluesky: [
    { name: 'service', type: 'url', initial: 'https://bsky.social' },
    { name: 'identifier', type: 'text' },
    { name: 'appPassword', type: 'password', secret: true },
    { name: 'firehose', type: 'url', optional: true },
  ],
  email: [
    { name: 'address', type: 'email' }, { name: 'user', type: 'text' }, { name: 'password', type: 'password', secret: true },
    { name: 'imapHost', type: 'text' }, { name: 'imapPort', type: 'number', initial: '993' }, { name: 'imapTls', type: 'checkbox', initial: true },
    { name: 'smtpHost', type: 'text' }, { name: 'smtpPort', type: 'number', initial: '465' }, { name: 'smtpTls', type: 'checkbox', initial: true },
    { name: 'handledMailbox', type: 'text', optional: true },
  ],
  feed: [{ name: 'url', type: 'url' }, { name: 'kind', type: 'kind', initial: 'comment' }],
};
