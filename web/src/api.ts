// Small fetch wrapper for the Allmende HTTP API (/api/v1).
// Adds the CSRF token to state-changing requests and the workspace slug when asked,
// and turns every failure into an ApiError with the server's error code.

export type Locale = 'de' | 'en';

export interface User {
  id: string;
  email: string;
  name: string;
  locale: Locale | null;
  /** Show toxic text unblurred (older servers leave it out: blurred). */
  revealToxic?: boolean;
}

export interface Workspace {
  id: string;
  slug: string;
  name: string;
  role: string;
}

export interface Me {
  user: User;
  workspaces: Workspace[];
  csrfToken: string;
}

export interface ItemAuthor {
  platformUserId: string;
  handle: string;
  displayName: string;
  profileUrl: string | null;
}

export interface Item {
  id: string;
  platform: string;
  platformId: string;
  kind: string;
  threadId: string | null;
  parentId: string | null;
  author: ItemAuthor;
  text: string;
  language: string | null;
  links: string[];
  createdAt: string;
  receivedAt: string;
  permalink: string | null;
  stage: string;
}

export interface ItemPage {
  items: Item[];
  nextCursor: string | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RequestOptions {
  body?: unknown;
  workspace?: string;
  signal?: AbortSignal;
}

/** Where the API lives; also for links (a plain link cannot send the workspace header). */
export const API_BASE = '/api/v1';
let csrfToken: string | null = null;

/** Remember the session's CSRF token (from GET /me); null after logout. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

async function send(method: Method, path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  // Only send a JSON content type with a body: an empty JSON body is a 400 on most servers.
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.workspace) headers['x-workspace'] = options.workspace;
  try {
    return await fetch(API_BASE + path, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', err instanceof Error ? err.message : String(err));
  }
}

function parse(response: Response, text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'bad_response', `Unexpected response (HTTP ${response.status})`);
  }
}

function failure(response: Response, payload: unknown): ApiError {
  const error = isObject(payload) && isObject(payload.error) ? payload.error : {};
  return new ApiError(
    response.status,
    typeof error.code === 'string' ? error.code : `http_${response.status}`,
    typeof error.message === 'string' ? error.message : `HTTP ${response.status}`,
    error.details,
  );
}

export async function request<T>(method: Method, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options, 'application/json');
  const payload = parse(response, await response.text());
  if (!response.ok) throw failure(response, payload);
  return payload as T;
}

/** A GET whose answer is a file (CSV …), fetched with the workspace header. */
export async function download(path: string, options: RequestOptions = {}): Promise<Blob> {
  const response = await send('GET', path, options, '*/*');
  if (response.ok) return response.blob();
  let payload: unknown = null;
  try {
    payload = parse(response, await response.text());
  } catch {
    // not JSON: the status alone must do
  }
  throw failure(response, payload);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export const api = {
  getSetup: () => request<{ needsOwner: boolean }>('GET', '/setup'),
  setup: (body: { email: string; name: string; password: string; workspaceName: string }) =>
    request<{ ok: true }>('POST', '/setup', { body }),
  login: (body: { email: string; password: string }) => request<{ ok: true }>('POST', '/auth/login', { body }),
  logout: () => request<{ ok: true }>('POST', '/auth/logout'),
  me: () => request<Me>('GET', '/me'),
  saveLocale: (locale: Locale | null) => request<{ ok: true }>('PATCH', '/me', { body: { locale } }),
  saveRevealToxic: (revealToxic: boolean) => request<{ ok: true }>('PATCH', '/me', { body: { revealToxic } }),
  items: (workspace: string, before: string | null, signal?: AbortSignal) => {
    const query = new URLSearchParams({ limit: '50' });
    if (before) query.set('before', before);
    return request<ItemPage>('GET', `/items?${query.toString()}`, { workspace, signal });
  },
};
