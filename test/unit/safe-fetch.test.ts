// safeFetch against real local HTTP servers: internal addresses refused (by literal, by name and
// after resolution), redirects followed and re-checked, loops, hangs and huge answers cut off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { safeFetch, isInternalAddress, FetchRefused } from '../../src/core/net/safe-fetch.js';

let server: Server;
let other: Server;
let base = '';
let otherBase = '';
let seenAuthorization: string | undefined;

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    if (path === '/ok') return res.end('hello');
    if (path === '/short') { res.writeHead(301, { location: '/hop' }); return res.end(); }
    if (path === '/hop') { res.writeHead(302, { location: '/ok' }); return res.end(); }
    if (path === '/loop-a') { res.writeHead(302, { location: '/loop-b' }); return res.end(); }
    if (path === '/loop-b') { res.writeHead(302, { location: '/loop-a' }); return res.end(); }
    if (path.startsWith('/chain/')) { const n = Number(path.split('/')[2]); res.writeHead(302, { location: `/chain/${n + 1}` }); return res.end(); }
    if (path === '/to-other') { res.writeHead(302, { location: `${otherBase}/whoami` }); return res.end(); }
    if (path === '/big-declared') { res.writeHead(200, { 'content-length': String(50_000_000) }); return res.end(); }
    if (path === '/big-streamed') {
      // No length given: 64 KB chunks until the client stops reading, bounded in any case.
      let sent = 0;
      const push = () => { while (sent < 50_000_000 && res.write(Buffer.alloc(65_536, 97))) sent += 65_536; if (sent < 50_000_000) res.once('drain', push); else res.end(); };
      res.on('close', () => { sent = Infinity; });
      return push();
    }
    if (path === '/hang') { res.writeHead(200); res.write('partial'); return; /* never ends */ }
    res.writeHead(404); res.end();
  });
  other = createServer((req, res) => { seenAuthorization = req.headers.authorization; res.end('other'); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections(); other.closeAllConnections();
  await new Promise((r) => server.close(r)); await new Promise((r) => other.close(r));
});

async function refusal(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { if (e instanceof FetchRefused) return e.code; throw e; }
  throw new Error('expected a refusal');
}

describe('internal addresses', () => {
  it('knows the internal ranges, including IPv4 inside IPv6', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::10.0.0.1', 'not-an-ip']) {
      expect(isInternalAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect(isInternalAddress(a), a).toBe(false);
  });

  it('refuses loopback and private addresses unless allowed', async () => {
    const port = (server.address() as AddressInfo).port;
    expect(await refusal(safeFetch(`${base}/ok`))).toBe('private_address');
    expect(await refusal(safeFetch(`http://[::1]:${port}/ok`))).toBe('private_address');
    expect(await refusal(safeFetch('http://169.254.169.254/latest/meta-data/'))).toBe('private_address');
    expect(await refusal(safeFetch(`http://localhost:${port}/ok`))).toBe('private_address');
    // The machine's own name is not caught by its spelling, only by what the resolver turns it
    // into (a loopback or private address on any ordinary host), at connection time.
    expect(await refusal(safeFetch(`http://${hostname()}:${port}/ok`))).toBe('private_address');
    const res = await safeFetch(`${base}/ok`, { allowPrivate: true });
    expect(await res.text()).toBe('hello');
  });

  it('refuses other schemes and embedded credentials', async () => {
    expect(await refusal(safeFetch('file:///etc/passwd'))).toBe('bad_url');
    expect(await refusal(safeFetch('ftp://example.org/x'))).toBe('bad_url');
    expect(await refusal(safeFetch('http://user:pw@example.org/'))).toBe('bad_url');
    expect(await refusal(safeFetch('not a url'))).toBe('bad_url');
  });
});

describe('limits', () => {
  const open = { allowPrivate: true };
  it('follows redirects and tells the way it went', async () => {
    const res = await safeFetch(`${base}/short`, open);
    expect(res.url).toBe(`${base}/ok`);
    expect(res.redirects).toEqual([`${base}/short`, `${base}/hop`]);
    expect(await res.text()).toBe('hello');
  });

  it('stops loops and long chains', async () => {
    expect(await refusal(safeFetch(`${base}/loop-a`, open))).toBe('redirect_loop');
    expect(await refusal(safeFetch(`${base}/chain/0`, { ...open, maxRedirects: 3 }))).toBe('too_many_redirects');
  });

  it('cuts off answers past the byte cap, declared or streamed', async () => {
    const declared = await safeFetch(`${base}/big-declared`, { ...open, maxBytes: 1_000_000 });
    expect(await refusal(declared.bytes())).toBe('too_large');
    const started = Date.now();
    const streamed = await safeFetch(`${base}/big-streamed`, { ...open, maxBytes: 1_000_000 });
    expect(await refusal(streamed.bytes())).toBe('too_large');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('gives up on a server that never finishes', async () => {
    const started = Date.now();
    const res = await safeFetch(`${base}/hang`, { ...open, timeoutMs: 500 });
    expect(await refusal(res.text())).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('does not carry credentials to another origin', async () => {
    seenAuthorization = 'unset';
    const res = await safeFetch(`${base}/to-other`, { ...open, headers: { authorization: 'Bearer secret' } });
    expect(await res.text()).toBe('other');
    expect(seenAuthorization).toBeUndefined();
  });
});
