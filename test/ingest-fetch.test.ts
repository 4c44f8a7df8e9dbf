// fetchFeed against real servers on 127.0.0.1: RELIABILITY.md (b) 13–19 and (d) 34–35 (stalls, failures, statuses, redirects, Retry-After, 304, compression, caps, SSRF).
import net, { type LookupFunction } from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isIngestError, type IngestError } from '../src/ingest/errors.ts';
import { fetchFeed, type FetchOptions } from '../src/ingest/fetch/fetch-feed.ts';
import { selfSignedCert, startFeedServer, type FeedServer } from './helpers/feed-server.ts';

const UA = 'Bellwether/test (+https://github.com/bellwether)';
const FEED =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>ok</title><item><title>a</title></item></channel></rss>';
const base: FetchOptions = { userAgent: UA, allowPrivate: true };

let server: FeedServer;
let canary: FeedServer;
beforeAll(async () => {
  server = await startFeedServer();
  canary = await startFeedServer();
  canary.route('/secret', { body: 'secret' });
});
afterAll(async () => {
  await server.close();
  await canary.close();
});

async function failure(p: Promise<unknown>): Promise<IngestError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  if (!isIngestError(e)) throw new Error(`expected an IngestError, got ${String(e)}`);
  return e;
}

function stubLookup(answers: (hostname: string, call: number) => string): {
  lookup: LookupFunction;
  calls: () => number;
} {
  let calls = 0;
  const lookup = ((hostname: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) => {
    const address = answers(hostname, calls++);
    cb(null, [{ address, family: address.includes(':') ? 6 : 4 }]);
  }) as unknown as LookupFunction;
  return { lookup, calls: () => calls };
}

describe('scenario 13: stalls end at the deadline, other fetches proceed', () => {
  it('no response, a 1 byte/s drip and a mid-body stall all time out', async () => {
    server.route('/silent', () => undefined);
    server.route('/drip', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const t = setInterval(() => res.write('<'), 1000);
      res.on('close', () => clearInterval(t));
    });
    server.route('/stall', (_req, res) => {
      res.writeHead(200, { 'content-length': String(FEED.length * 2) });
      res.write(FEED);
    });
    server.route('/ok', { body: FEED });
    const started = Date.now();
    const opts = { ...base, totalTimeoutMs: 400 };
    const [silent, drip, stall, ok] = await Promise.all([
      failure(fetchFeed(server.url('/silent'), opts)),
      failure(fetchFeed(server.url('/drip'), opts)),
      failure(fetchFeed(server.url('/stall'), opts)),
      fetchFeed(server.url('/ok'), opts),
    ]);
    for (const e of [silent, drip, stall])
      expect([e.code, e.message]).toEqual(['timeout', 'no complete response within 400 ms']);
    expect(ok.kind).toBe('ok');
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('connect timeout', () => {
  it('gives up on a TLS handshake that never completes, well before the total deadline', async () => {
    const mute = net.createServer(() => undefined); // accepts TCP, never speaks TLS
    await new Promise<void>((ok) => mute.listen(0, '127.0.0.1', ok));
    const port = (mute.address() as net.AddressInfo).port;
    const started = Date.now();
    const e = await failure(
      fetchFeed(`https://127.0.0.1:${port}/feed`, { ...base, connectTimeoutMs: 200, totalTimeoutMs: 5000 }),
    );
    mute.close();
    expect([e.code, e.message]).toEqual(['timeout', `could not connect to 127.0.0.1:${port} within 200 ms`]);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('the deadline also covers DNS, and a bad URL leaves no timer', () => {
  it('times out a lookup that never answers', async () => {
    const hang = (() => undefined) as unknown as LookupFunction;
    const e = await failure(fetchFeed('http://slow-dns.example/feed', { ...base, lookup: hang, totalTimeoutMs: 200 }));
    expect(e.code).toBe('timeout');
  });
  it('rejects a bad URL without arming the 30 s deadline', async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    const before = timers();
    expect((await failure(fetchFeed('gopher://example.com/', base))).code).toBe('bad_url');
    expect(timers()).toBe(before);
  });
});

describe('scenario 14: connection failures have distinct codes and messages', () => {
  it('refused, NXDOMAIN, self-signed TLS, reset mid-body', async () => {
    const closed = await startFeedServer();
    const refusedUrl = closed.url('/feed');
    await closed.close();
    const tlsServer = await startFeedServer({ tls: selfSignedCert() });
    tlsServer.route('/feed', { body: FEED });
    server.route('/reset', (_req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(FEED.slice(0, 40), () => res.socket?.resetAndDestroy());
    });
    const nx = ((_h: string, _o: unknown, cb: (e: NodeJS.ErrnoException) => void) =>
      cb(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }))) as unknown as LookupFunction;
    const errors = [
      await failure(fetchFeed(refusedUrl, base)),
      await failure(fetchFeed('http://no-such-host.invalid/feed', { ...base, lookup: nx })),
      await failure(fetchFeed(tlsServer.url('/feed'), base)),
      await failure(fetchFeed(server.url('/reset'), base)),
    ];
    await tlsServer.close();
    expect(errors.map((e) => e.code)).toEqual(['connection_refused', 'dns', 'tls', 'connection_reset']);
    expect(errors[2]?.message).toContain('self-signed certificate');
    expect(new Set(errors.map((e) => e.message)).size).toBe(4);
    expect(tlsServer.hits('/feed')).toBe(0); // the handshake failed: no request was ever sent
  });
});

describe('scenario 15: status codes and redirects', () => {
  it.each([401, 403, 404, 500, 502])('HTTP %i → http_status', async (status) => {
    server.route(`/s${status}`, { status, body: 'nope' });
    const e = await failure(fetchFeed(server.url(`/s${status}`), base));
    expect([e.code, e.status]).toEqual(['http_status', status]);
  });
  it('410 → gone', async () => {
    server.route('/gone', { status: 410 });
    expect((await failure(fetchFeed(server.url('/gone'), base))).code).toBe('gone');
  });
  it('reports a permanent redirect only when every hop was 301/308', async () => {
    server.route('/final', { body: FEED });
    server.route('/p1', { status: 301, headers: { location: '/p2' } });
    server.route('/p2', { status: 308, headers: { location: server.url('/final') } });
    server.route('/t1', { status: 302, headers: { location: '/final' } });
    server.route('/mixed', { status: 301, headers: { location: '/t1' } });
    const perm = await fetchFeed(server.url('/p1'), base);
    expect(perm).toMatchObject({ kind: 'ok', url: server.url('/final'), permanentRedirect: server.url('/final') });
    expect(await fetchFeed(server.url('/t1'), base)).toMatchObject({
      kind: 'ok',
      url: server.url('/final'),
      permanentRedirect: null,
    });
    expect(await fetchFeed(server.url('/mixed'), base)).toMatchObject({ kind: 'ok', permanentRedirect: null });
    expect(await fetchFeed(server.url('/final'), base)).toMatchObject({ permanentRedirect: null });
  });
  it('follows 5 hops, refuses a 6th, detects loops and non-http targets', async () => {
    for (let i = 0; i < 6; i++) server.route(`/hop${i}`, { status: 302, headers: { location: `/hop${i + 1}` } });
    server.route('/hop6', { body: FEED });
    expect((await fetchFeed(server.url('/hop1'), base)).kind).toBe('ok');
    const tooMany = await failure(fetchFeed(server.url('/hop0'), base));
    expect([tooMany.code, tooMany.message]).toEqual(['redirect', 'too many redirects (more than 5)']);
    server.route('/loopA', { status: 301, headers: { location: '/loopB' } });
    server.route('/loopB', { status: 301, headers: { location: '/loopA' } });
    const loop = await failure(fetchFeed(server.url('/loopA'), base));
    expect(loop.code).toBe('redirect');
    expect(loop.message).toContain('redirect loop');
    server.route('/tofile', { status: 302, headers: { location: 'file:///etc/passwd' } });
    expect((await failure(fetchFeed(server.url('/tofile'), base))).code).toBe('bad_url');
  });
});

describe('scenario 16: 429/503 with Retry-After', () => {
  const now = new Date('2026-11-21T12:00:00Z');
  it('reads seconds and HTTP-dates into retryAfter', async () => {
    server.route('/ra-seconds', { status: 429, headers: { 'retry-after': '120' } });
    server.route('/ra-date', { status: 503, headers: { 'retry-after': 'Sat, 21 Nov 2026 14:00:00 GMT' } });
    server.route('/ra-none', { status: 429 });
    const a = await failure(fetchFeed(server.url('/ra-seconds'), { ...base, now: () => now }));
    expect([a.code, a.status, a.retryAfter?.toISOString()]).toEqual(['rate_limited', 429, '2026-11-21T12:02:00.000Z']);
    const b = await failure(fetchFeed(server.url('/ra-date'), { ...base, now: () => now }));
    expect([b.code, b.status, b.retryAfter?.toISOString()]).toEqual(['rate_limited', 503, '2026-11-21T14:00:00.000Z']);
    const c = await failure(fetchFeed(server.url('/ra-none'), base));
    expect([c.code, c.status, c.retryAfter]).toEqual(['http_status', 429, undefined]);
  });
});

describe('scenario 17: conditional GET', () => {
  it('sends the validators and returns not_modified on 304; returns new validators on 200', async () => {
    server.route('/cond', (req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v2-different"' });
        res.end();
      } else {
        res.writeHead(200, {
          etag: '"v1"',
          'last-modified': 'Sat, 21 Nov 2026 10:00:00 GMT',
          'content-type': 'application/rss+xml',
        });
        res.end(FEED);
      }
    });
    const first = await fetchFeed(server.url('/cond'), base);
    expect(first).toMatchObject({
      kind: 'ok',
      etag: '"v1"',
      lastModified: 'Sat, 21 Nov 2026 10:00:00 GMT',
      contentType: 'application/rss+xml',
    });
    server.reset();
    const second = await fetchFeed(server.url('/cond'), {
      ...base,
      etag: '"v1"',
      lastModified: 'Sat, 21 Nov 2026 10:00:00 GMT',
    });
    expect(second).toEqual({ kind: 'not_modified', url: server.url('/cond') });
    const sent = server.requests[0]!.headers;
    expect([sent['if-none-match'], sent['if-modified-since'], sent['user-agent']]).toEqual([
      '"v1"',
      'Sat, 21 Nov 2026 10:00:00 GMT',
      UA,
    ]);
    expect(sent['accept-encoding']).toBe('gzip, deflate, br');
  });
});

describe('scenario 18: compression', () => {
  it.each([
    ['gzip', zlib.gzipSync(FEED), 'gzip'],
    ['br', zlib.brotliCompressSync(FEED), 'br'],
    ['deflate (zlib)', zlib.deflateSync(FEED), 'deflate'],
    ['deflate (raw)', zlib.deflateRawSync(FEED), 'deflate'],
    ['gzip declared on a plain body', Buffer.from(FEED), 'gzip'],
    ['gzip not declared', zlib.gzipSync(FEED), undefined],
  ] as const)('%s', async (name, body, encoding) => {
    const path = `/enc-${name.replace(/\W+/g, '-')}`;
    server.route(path, { headers: encoding ? { 'content-encoding': encoding } : {}, body });
    const out = await fetchFeed(server.url(path), base);
    expect(out.kind === 'ok' && out.body.toString('utf8')).toBe(FEED);
  });
  it('aborts a gzip bomb at the decompressed cap with bounded memory', async () => {
    const zeros = Buffer.alloc(1024 * 1024);
    server.route('/bomb', (_req, res) => {
      res.writeHead(200, { 'content-encoding': 'gzip' });
      const gz = zlib.createGzip({ level: 9 });
      gz.pipe(res);
      let sent = 0;
      const pump = (): void => {
        while (sent < 1024 && !res.destroyed) {
          sent++;
          if (!gz.write(zeros)) return void gz.once('drain', pump);
        }
        gz.end();
      };
      res.on('close', () => {
        sent = 1024;
        gz.destroy();
      });
      pump();
    });
    const cap = 10 * 1024 * 1024;
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 2);
    const e = await failure(fetchFeed(server.url('/bomb'), { ...base, maxBytes: cap }));
    clearInterval(sampler);
    expect(e.code).toBe('too_large');
    expect(peak - rssBefore).toBeLessThan(3 * cap);
  });
});

describe('scenario 19: endless chunked body', () => {
  it('is cut at the cap', async () => {
    server.route('/endless', (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/rss+xml' });
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const pump = (): void => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    });
    const e = await failure(fetchFeed(server.url('/endless'), { ...base, maxBytes: 1024 * 1024 }));
    expect([e.code, e.message]).toEqual(['too_large', 'response body exceeds 1048576 bytes (after decompression)']);
    // The connection is closed, not left open behind a full buffer.
    for (let i = 0; i < 100 && server.inFlight() > 0; i++) await new Promise((ok) => setTimeout(ok, 10));
    expect(server.inFlight()).toBe(0);
  });
});

describe('a declared Content-Length over the cap', () => {
  it('is refused before the body is read', async () => {
    server.route('/declared-big', (_req, res) => {
      res.writeHead(200, { 'content-length': String(50 * 1024 * 1024) });
      res.write('<rss>');
    });
    const e = await failure(
      fetchFeed(server.url('/declared-big'), { ...base, maxBytes: 1024 * 1024, totalTimeoutMs: 5000 }),
    );
    expect([e.code, e.message]).toEqual(['too_large', 'response body exceeds 1048576 bytes (Content-Length 52428800)']);
  });
});

describe('scenario 34: SSRF targets are refused before connecting', () => {
  it.each(['127.0.0.1', '[::1]', '169.254.169.254', '10.0.0.1', '2130706433', '0x7f.1', '[::ffff:127.0.0.1]'])(
    'http://%s',
    async (host) => {
      const port = host.startsWith('1') && host !== '127.0.0.1' ? '' : `:${canary.port}`;
      const e = await failure(fetchFeed(`http://${host}${port}/secret`, { ...base, allowPrivate: false }));
      expect(e.code).toBe('blocked_address');
      expect(canary.hits()).toBe(0);
    },
  );
  it.each(['file:///etc/passwd', 'gopher://127.0.0.1:70/_x'])('%s', async (url) => {
    expect((await failure(fetchFeed(url, { ...base, allowPrivate: false }))).code).toBe('bad_url');
  });
  it('a public-looking name that resolves to loopback', async () => {
    const dns = stubLookup(() => '127.0.0.1');
    const e = await failure(
      fetchFeed(`http://feeds.example.com:${canary.port}/secret`, { ...base, allowPrivate: false, lookup: dns.lookup }),
    );
    expect(e.message).toBe('refused: feeds.example.com resolves to the internal address 127.0.0.1');
    expect(canary.hits()).toBe(0);
  });
});

describe('scenario 35: SSRF via redirect and DNS rebinding', () => {
  it('a stub public host that redirects to 127.0.0.1 is blocked on the second hop', async () => {
    server.route('/to-internal', { status: 302, headers: { location: canary.url('/secret') } });
    server.route('/to-metadata', { status: 301, headers: { location: 'http://169.254.169.254/latest/meta-data/' } });
    const dns = stubLookup(() => '127.0.0.1');
    // "public.example" stands for a public host: the test lets exactly that name through the guard.
    const opts = {
      ...base,
      allowPrivate: false,
      lookup: dns.lookup,
      allowAddress: (_a: string, host: string) => host === 'public.example',
    };
    for (const path of ['/to-internal', '/to-metadata']) {
      const e = await failure(fetchFeed(`http://public.example:${server.port}${path}`, opts));
      expect(e.code).toBe('blocked_address');
    }
    expect(server.hits('/to-internal')).toBe(1);
    expect(canary.hits()).toBe(0);
  });
  it('refuses a name whose answers mix public and private addresses', async () => {
    const mixed = ((_h: string, _o: unknown, cb: (e: null, a: { address: string; family: number }[]) => void) =>
      cb(null, [
        { address: '93.184.216.34', family: 4 },
        { address: '127.0.0.1', family: 4 },
      ])) as unknown as LookupFunction;
    const e = await failure(
      fetchFeed(`http://rebind.example:${canary.port}/secret`, { ...base, allowPrivate: false, lookup: mixed }),
    );
    expect(e.code).toBe('blocked_address');
    expect(canary.hits()).toBe(0);
  });
  it('connects to the address it checked: a second, different DNS answer is never used', async () => {
    server.route('/pinned', { body: FEED });
    // First answer: the server; any later answer: 127.0.0.2, where nothing listens.
    const dns = stubLookup((_h, call) => (call === 0 ? '127.0.0.1' : '127.0.0.2'));
    const out = await fetchFeed(`http://rebind.example:${server.port}/pinned`, { ...base, lookup: dns.lookup });
    expect(out.kind).toBe('ok');
    expect(dns.calls()).toBe(1);
    expect(server.requests.at(-1)?.host).toBe(`rebind.example:${server.port}`);
  });
});
