// Which connector reads and acts for a connection, and what it can do there. A connection with
// credentials for a platform that has a connector uses it; otherwise a connection can name an
// `actionsUrl`: Allmende then sends each action there, signed like the incoming webhook, so a
// forum or website can act on its own comments.
import type { Db } from '../store/db.js';
import type { SecretBox } from '../core/crypto.js';
import { signPayload } from './signature.js';
import { NeedsReauthorisation, PlatformBusy, type ActionOutcome, type ActionRequest, type ConnectorDefinition, type PlatformClient } from './contract.js';
import { bluesky } from './bluesky/index.js';
import { email } from './email/index.js';
import { feed } from './feed/index.js';
import { fediverse } from './fediverse/index.js';
import { website } from './website/index.js';
import { mastodon } from './mastodon/index.js';

export type { ActionOutcome, ActionRequest } from './contract.js';

export const CONNECTORS: Record<string, ConnectorDefinition> = { bluesky, email, feed, fediverse, website, mastodon };

export interface Connector {
  capabilities: string[];
  perform(action: ActionRequest): Promise<ActionOutcome>;
}

export interface ConnectionRow {
  id: string; platform: string; name: string; settings: any; secret_encrypted: string | null;
  credentials_encrypted?: string | null; status?: string; workspace_id?: string;
}

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

/** The platform client of a connection with stored credentials, or null. Throws on settings that no longer parse. */
export function clientFor(conn: ConnectionRow, secrets: SecretBox): PlatformClient | null {
  const def = CONNECTORS[conn.platform];
  if (!def || !conn.credentials_encrypted) return null;
  const settings = def.settings.parse(conn.settings ?? {});
  const credentials = def.credentials.parse(JSON.parse(secrets.open(conn.credentials_encrypted)));
  return def.open(settings, credentials);
}

/** What happened to an action, in outbox terms; a refused credential pauses the connection's actions. */
export function outcomeOfError(e: unknown): ActionOutcome & { needsReauthorisation?: boolean } {
  if (e instanceof NeedsReauthorisation) return { state: 'failed', error: e.message, retry: true, needsReauthorisation: true };
  if (e instanceof PlatformBusy) return { state: 'failed', error: e.message, retry: true, retryAfterSeconds: e.retryAfterSeconds ?? undefined };
  return { state: 'failed', error: (e as Error)?.message ?? String(e), retry: false };
}

export function connectorFor(conn: ConnectionRow, secrets: SecretBox): Connector | null {
  const def = CONNECTORS[conn.platform];
  if (def && conn.credentials_encrypted) {
    return {
      capabilities: def.act,
      async perform(action) {
        try {
          const client = clientFor(conn, secrets)!;
          return await client.perform(action);
        } catch (e) {
          return outcomeOfError(e);
        }
      },
    };
  }
  const url = conn.settings?.actionsUrl;
  if (typeof url === 'string' && url) return callbackConnector(url, conn.secret_encrypted ? secrets.open(conn.secret_encrypted) : null);
  return null;
}

export async function loadConnection(db: Db, id: string): Promise<ConnectionRow | null> {
  const [row] = await db.query<ConnectionRow>('select id, workspace_id, platform, name, settings, secret_encrypted, credentials_encrypted, status from connections where id = $1', [id]);
  return row ?? null;
}
