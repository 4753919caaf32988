// The connector contract: what a platform connector declares, how it reads and how it acts.
// The poller and the outbox only ever talk to connectors through these types.
import type { z } from 'zod';
import type { ItemInput } from '../core/item.js';

export const READ_MODES = ['poll', 'webhook', 'stream', 'import'] as const;
export const ACTION_TYPES = ['reply', 'hide', 'unhide', 'delete', 'ban', 'mute', 'report'] as const;
export type ReadMode = (typeof READ_MODES)[number];
export type ActionType = (typeof ACTION_TYPES)[number];

/** The item an action is about, as stored (the connector needs its author and thread). */
export interface ActionItem {
  platformId: string; threadId: string | null; parentId: string | null; authorPlatformId: string | null;
  authorHandle: string | null; raw: any;
}
export interface ActionRequest { id: number; type: string; payload: any; itemId: number | null; platformId: string | null; item?: ActionItem | null }
export type ActionOutcome =
  | { state: 'done'; result: unknown }
  | { state: 'failed'; error: string; retry: boolean; retryAfterSeconds?: number }
  | { state: 'unsupported'; note: string };

export interface PollPage {
  items: ItemInput[];
  /** Where the next poll starts; stored with the items in one transaction. */
  cursor: unknown;
  /** Payloads that could not be turned into items (unknown event types, malformed records). */
  skipped: number;
  /** More is waiting: poll again at once instead of after the interval. */
  more?: boolean;
}

/** A connector bound to one connection's settings and credentials. */
export interface PlatformClient {
  /** Reads what is new since `cursor` (null on the first poll). */
  poll?(cursor: unknown): Promise<PollPage>;
  perform(action: ActionRequest): Promise<ActionOutcome>;
  /** Checks the credentials; returns the account it acts as. */
  test(): Promise<{ account: string }>;
  /** Stream read: a held connection that calls onNew when something arrives; returns stop. */
  watch?(onNew: () => void): Promise<() => Promise<void>>;
}

export interface ConnectorDefinition<S = any, C = any> {
  platform: string;
  read: ReadMode[];
  act: ActionType[];
  /** Why an action is missing, in the user's words (shown next to the capability matrix). */
  missing: Partial<Record<ActionType, { de: string; en: string }>>;
  settings: z.ZodType<S>;
  credentials: z.ZodType<C>;
  /** Items never change once written (no edits): a re-read item already stored is skipped before ingest. */
  immutable?: boolean;
  /** Seconds between polls when nothing is wrong. */
  pollEverySeconds: number;
  open(settings: S, credentials: C): PlatformClient;
}

/** Credentials expired or revoked: the connection waits for a person to re-authorise it. */
export class NeedsReauthorisation extends Error {}

/** The platform asked us to slow down (429) or is unwell (5xx); try again after the given time. */
export class PlatformBusy extends Error {
  constructor(message: string, readonly retryAfterSeconds: number | null) { super(message); }
}

/** Reads Retry-After (seconds or an HTTP date) or the rate-limit reset header, in seconds from now. */
export function retryAfterFrom(headers: Record<string, string | undefined> | Headers | undefined, now = Date.now()): number | null {
  if (!headers) return null;
  // Any Headers-like object (the global one or undici's own, which safeFetch returns) has get().
  const get = (k: string) => (typeof (headers as Headers).get === 'function' ? (headers as Headers).get(k) ?? undefined : (headers as Record<string, string | undefined>)[k] ?? (headers as Record<string, string | undefined>)[k.toLowerCase()]);
  const ra = get('retry-after');
  if (ra) {
    if (/^\d+$/.test(ra.trim())) return Number(ra.trim());
    const t = Date.parse(ra);
    if (!Number.isNaN(t)) return Math.max(0, Math.ceil((t - now) / 1000));
  }
  // AT Protocol and others: ratelimit-reset in unix seconds.
  const reset = get('ratelimit-reset') ?? get('x-ratelimit-reset');
  if (reset && /^\d+$/.test(reset)) {
    const n = Number(reset);
    return n > 1e9 ? Math.max(0, n - Math.floor(now / 1000)) : n;
  }
  return null;
}
