// Fetching an address that came from outside (a feed URL a user typed, a link in a comment, a
// shortener's redirect) without letting it reach the machine's own network: loopback, private
// ranges, link-local (cloud metadata at 169.254.169.254) and the like are refused unless the
// caller allows them. The check sits in the socket's DNS lookup, so a name that resolves to a
// public address for the check and to a private one for the connection (DNS rebinding) is caught
// too. Every redirect hop is checked again; the whole exchange has one time limit and the body a
// byte cap, so a loop, a server that hangs or one that sends gigabytes is cut off.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, fetch } from 'undici';

export type RefusalCode = 'bad_url' | 'private_address' | 'too_many_redirects' | 'redirect_loop' | 'too_large' | 'timeout' | 'unreachable';

export class FetchRefused extends Error {
  constructor(readonly code: RefusalCode, message: string) { super(message); }
}

export interface SafeFetchOptions {
  method?: 'GET' | 'HEAD' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** For the whole exchange: every hop and reading the body. */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** Loopback and private ranges allowed: only for tests and addresses an admin set on purpose. */
  allowPrivate?: boolean;
}

export interface SafeResponse {
  status: number;
  ok: boolean;
  headers: Headers;
  /** The address that answered, after redirects. */
  url: string;
  /** Every address passed through before it, in order. */
  redirects: string[];
  /** The body, cut off with FetchRefused('too_large') past maxBytes. Read once. */
  bytes(): Promise<Buffer>;
  text(): Promise<string>;
  /** Drop the body unread. */
  cancel(): Promise<void>;
}

const DEFAULTS = { timeoutMs: 10_000, maxBytes: 5 * 1024 * 1024, maxRedirects: 5 };

// Everything that is not the public internet (IANA special-purpose registries).
const internal = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16],
  ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16],
  ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) internal.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128], ['::1', 128], ['100::', 64], ['2001::', 23], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8],
] as const) internal.addSubnet(net, bits, 'ipv6');

/** True for addresses outside the public internet, including IPv4 hidden in IPv6 forms. */
export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return internal.check(address, 'ipv4');
  if (family !== 6) return true;
  const lower = address.toLowerCase();
  // ::ffff:a.b.c.d (mapped), 64:ff9b::a.b.c.d (NAT64) and ::a.b.c.d (compatible) carry an IPv4 address.
  const embedded = /^(?:::ffff:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (embedded) return internal.check(embedded[1], 'ipv4');
  const hexMapped = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hexMapped) {
    const [hi, lo] = [parseInt(hexMapped[1], 16), parseInt(hexMapped[2], 16)];
    return internal.check(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`, 'ipv4');
  }
  return internal.check(address, 'ipv6');
}

// Checks at connection time what the name resolved to; net.connect calls it for names only.
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 0);
    const bad = addresses.find((a) => isInternalAddress(a.address));
    if (bad) return callback(new FetchRefused('private_address', `${hostname} resolves to an internal address (${bad.address})`), '', 0);
    if (options.all) return (callback as any)(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
};

const guardedAgent = new Agent({ connect: { lookup: guardedLookup } });
const openAgent = new Agent();

function checkUrl(raw: string, allowPrivate: boolean): URL {
  let url: URL;
  try { url = new URL(raw); } catch { throw new FetchRefused('bad_url', `not a web address: ${raw.slice(0, 200)}`); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new FetchRefused('bad_url', `only http and https are fetched, not ${url.protocol}`);
  if (url.username || url.password) throw new FetchRefused('bad_url', 'addresses with a user name or password are not fetched');
  const host = url.hostname.replace(/^\[|\]$/g, '');
  // An IP literal never goes through the lookup, so it is checked here.
  if (!allowPrivate && (isIP(host) ? isInternalAddress(host) : host === 'localhost' || host.endsWith('.localhost'))) {
    throw new FetchRefused('private_address', `${host} is an internal address`);
  }
  return url;
}

/** The cause of a failed fetch, found through undici's wrapping. */
function rootCause(e: any): any {
  let cause = e;
  while (cause?.cause && !(cause instanceof FetchRefused)) cause = cause.cause;
  return cause;
}

export async function safeFetch(address: string, opts: SafeFetchOptions = {}): Promise<SafeResponse> {
  const { timeoutMs, maxBytes, maxRedirects } = { ...DEFAULTS, ...opts };
  const allowPrivate = opts.allowPrivate ?? false;
  const signal = AbortSignal.timeout(timeoutMs);
  const timedOut = () => new FetchRefused('timeout', `no complete answer within ${timeoutMs / 1000} s`);
  const redirects: string[] = [];
  let url = checkUrl(address, allowPrivate);
  let method = opts.method ?? 'GET';
  let body = opts.body;
  let headers = { ...opts.headers };
  for (;;) {
    let res;
    try {
      res = await fetch(url, { method, headers, body, redirect: 'manual', signal, dispatcher: allowPrivate ? openAgent : guardedAgent });
    } catch (e: any) {
      if (signal.aborted) throw timedOut();
      const cause = rootCause(e);
      if (cause instanceof FetchRefused) throw cause;
      throw new FetchRefused('unreachable', `${url.host} not reachable: ${cause?.code ?? cause?.message ?? e.message}`);
    }
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      await res.body?.cancel();
      redirects.push(url.toString());
      if (redirects.length > maxRedirects) throw new FetchRefused('too_many_redirects', `more than ${maxRedirects} redirects from ${address.slice(0, 200)}`);
      const next = checkUrl(new URL(location, url).toString(), allowPrivate);
      if (redirects.includes(next.toString())) throw new FetchRefused('redirect_loop', `the redirects from ${address.slice(0, 200)} go round in a loop`);
      // Credentials are for the host they were given for, not for wherever it points.
      if (next.origin !== url.origin) { delete headers.authorization; delete headers.cookie; }
      if (res.status === 303 || ((res.status === 301 || res.status === 302) && method === 'POST')) { method = 'GET'; body = undefined; }
      url = next;
      continue;
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    let read = false;
    const bytes = async (): Promise<Buffer> => {
      if (read) throw new Error('the body was already read');
      read = true;
      if (declared > maxBytes) { await res.body?.cancel(); throw new FetchRefused('too_large', `the answer is larger than ${maxBytes} bytes`); }
      const chunks: Buffer[] = [];
      let size = 0;
      try {
        // Leaving the loop early cancels the stream, so a huge answer is not read to its end.
        for await (const chunk of res.body ?? []) {
          size += chunk.length;
          if (size > maxBytes) break;
          chunks.push(Buffer.from(chunk));
        }
      } catch (e: any) {
        if (signal.aborted) throw timedOut();
        throw new FetchRefused('unreachable', `the answer broke off: ${rootCause(e)?.message ?? e.message}`);
      }
      if (size > maxBytes) throw new FetchRefused('too_large', `the answer is larger than ${maxBytes} bytes`);
      return Buffer.concat(chunks);
    };
    return {
      status: res.status, ok: res.ok, headers: res.headers as unknown as Headers, url: url.toString(), redirects,
      bytes,
      text: async () => (await bytes()).toString('utf8'),
      cancel: async () => { read = true; await res.body?.cancel(); },
    };
  }
}
