// Which connector carries out actions for a connection, and what it can do there.
// Platform connectors (Bluesky, fediverse, mail …) register here as they arrive; until then a
// connection can name an `actionsUrl`: Allmende then sends each action there, signed like the
// incoming webhook, so a forum or website can act on its own comments.
import type { Db } from '../store/db.js';
import type { SecretBox } from '../core/crypto.js';
import { signPayload } from './signature.js';

export interface ActionRequest { id: number; type: string; payload: unknown; itemId: number | null; platformId: string | null }
export type ActionOutcome =
  | { state: 'done'; result: unknown }
  | { state: 'failed'; error: string; retry: boolean }
  | { state: 'unsupported'; note: string };

export interface Connector {
  capabilities: string[];
  perform(action: ActionRequest): Promise<ActionOutcome>;
}

export interface ConnectionRow { id: string; platform: string; name: string; settings: any; secret_encrypted: string | null }

const TIMEOUT_MS = 10_000;

function callbackConnector(url: string, secret: string | null): Connector {
  return {
    capabilities: ['hide', 'unhide', 'delete', 'reply', 'ban', 'mute'],
    async perform(action) {
      const body = JSON.stringify({ action: action.type, actionId: action.id, platformId: action.platformId, payload: action.payload });
      const ts = Math.floor(Date.now() / 1000);
      try {
        const res = await fetch(url, {
          method: 'POST', body, signal: AbortSignal.timeout(TIMEOUT_MS), redirect: 'error',
          headers: { 'content-type': 'application/json', 'x-allmende-timestamp': String(ts), ...(secret ? { 'x-allmende-signature': signPayload(secret, ts, body) } : {}) },
        });
        const text = (await res.text()).slice(0, 2000);
        if (res.ok) return { state: 'done', result: { status: res.status, body: text } };
        // 429 and 5xx are the platform's trouble of the moment: try again later. Other 4xx will not get better.
        return { state: 'failed', error: `HTTP ${res.status}: ${text}`, retry: res.status === 429 || res.status >= 500 };
      } catch (e: any) {
        return { state: 'failed', error: e.name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : e.message, retry: true };
      }
    },
  };
}

export function connectorFor(conn: ConnectionRow, secrets: SecretBox): Connector | null {
  const url = conn.settings?.actionsUrl;
  if (typeof url === 'string' && url) return callbackConnector(url, conn.secret_encrypted ? secrets.open(conn.secret_encrypted) : null);
  return null;
}

export async function loadConnection(db: Db, id: string): Promise<ConnectionRow | null> {
  const [row] = await db.query<ConnectionRow>('select id, platform, name, settings, secret_encrypted from connections where id = $1', [id]);
  return row ?? null;
}
