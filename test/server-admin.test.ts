// Admin API: off without a token, bearer auth (constant time, rate-limited), same-origin only, writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.ts';
import { createApp } from '../src/server/app.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';

const TOKEN = 'admin-token-0123456789abcdef';
const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
const logLines: string[] = [];
const calls: string[] = [];
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestDb();
  app = createApp(
    testDeps(t, {
      now: () => now,
      env: { ADMIN_TOKEN: TOKEN },
      log: createLogger('debug', (l) => logLines.push(l)),
      actions: { recompute: async (reason) => void calls.push(reason) },
    }),
  );
});
afterAll(() => t.close());

const auth = { Authorization: `Bearer ${TOKEN}` };
const post = (a: typeof app, path: string, body: unknown, headers: Record<string, string> = auth) =>
  a.request(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...headers },
  });

describe('admin gate', () => {
  it('is off (404) when no token is configured, even with a bearer header', async () => {
    const off = createApp(testDeps(t));
    expect((await off.request('/api/v1/admin/feeds', { headers: auth })).status).toBe(404);
    expect((await post(off, '/api/v1/admin/feeds', { url: 'https://a.example/feed' })).status).toBe(404);
  });

  it('401 for a missing, wrong or different-length token; 200 for the right one', async () => {
    expect((await app.request('/api/v1/admin/feeds')).status).toBe(401);
    expect(
      (await app.request('/api/v1/admin/feeds', { headers: { Authorization: `Bearer ${TOKEN.replace(/.$/, 'X')}` } }))
        .status,
    ).toBe(401);
    expect((await app.request('/api/v1/admin/feeds', { headers: { Authorization: 'Bearer short' } })).status).toBe(401);
    expect((await app.request('/api/v1/admin/feeds', { headers: { Authorization: `Basic ${TOKEN}` } })).status).toBe(
      401,
    );
    expect((await app.request('/api/v1/admin/feeds', { headers: auth })).status).toBe(200);
  });

  it('refuses cross-origin requests (Origin or Sec-Fetch-Site) and accepts same-origin ones', async () => {
    expect(
      (
        await post(
          app,
          '/api/v1/admin/subscribers',
          { email: 'x@example.org' },
          { ...auth, Origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await post(
          app,
          '/api/v1/admin/subscribers',
          { email: 'x@example.org' },
          { ...auth, 'Sec-Fetch-Site': 'cross-site' },
        )
      ).status,
    ).toBe(403);
    const form = await app.request('http://localhost/api/v1/admin/subscribers', {
      method: 'POST',
      body: 'email=form%40example.org',
      headers: {
        ...auth,
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://localhost',
        'Sec-Fetch-Site': 'same-origin',
      },
    });
    expect(form.status).toBe(201);
  });

  it('throttles failures only: after 100 failures a wrong token gets 429, the right token still gets through (issue 18.6)', async () => {
    // Failures are counted in the database (shared by every instance): start from none.
    await t.handle.db.deleteFrom('admin_auth_failures').execute();
    const lines: string[] = [];
    const limited = createApp(
      testDeps(t, { env: { ADMIN_TOKEN: TOKEN }, log: createLogger('debug', (l) => lines.push(l)) }),
    );
    for (let i = 0; i < 100; i++)
      expect(
        (await limited.request('/api/v1/admin/feeds', { headers: { Authorization: `Bearer wrong-${i}` } })).status,
      ).toBe(401);
    const refused = await limited.request('/api/v1/admin/feeds', { headers: { Authorization: 'Bearer wrong' } });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Behind a proxy every client shares one address: the admin with the right token is never locked out.
    expect((await limited.request('/api/v1/admin/feeds', { headers: auth })).status).toBe(200);
    expect((await limited.request('/api/v1/admin/feeds')).status).toBe(429);
    // Failures are logged (address and count, never the token tried), and the throttle once per window.
    expect(lines.some((l) => l.includes('admin authentication failed') && l.includes('"failures":1'))).toBe(true);
    expect(lines.filter((l) => l.includes('admin authentication throttled')).length).toBe(1);
    expect(lines.join('\n')).not.toContain('wrong-7');
  });

  it('throttles failures globally too, across addresses', { timeout: 120_000 }, async () => {
    await t.handle.db.deleteFrom('admin_auth_failures').execute();
    const limited = createApp(testDeps(t, { env: { ADMIN_TOKEN: TOKEN } }));
    // Each request comes from a different address (the node server's socket), as a botnet would.
    const from = (i: number) => ({ incoming: { socket: { remoteAddress: `10.0.${i >> 8}.${i & 255}` } } });
    for (let i = 0; i < 1000; i++)
      await limited.request('/api/v1/admin/feeds', { headers: { Authorization: 'Bearer wrong' } }, from(i));
    expect(
      (await limited.request('/api/v1/admin/feeds', { headers: { Authorization: 'Bearer wrong' } }, from(5000))).status,
    ).toBe(429);
    expect((await limited.request('/api/v1/admin/feeds', { headers: auth }, from(5001))).status).toBe(200);
  });

  it('counts failures in the database: a second instance on the same database meets the same limit', async () => {
    await t.handle.db.deleteFrom('admin_auth_failures').execute();
    const one = createApp(testDeps(t, { env: { ADMIN_TOKEN: TOKEN } }));
    const two = createApp(testDeps(t, { env: { ADMIN_TOKEN: TOKEN } }));
    for (let i = 0; i < 100; i++)
      expect(
        (await (i % 2 ? one : two).request('/api/v1/admin/feeds', { headers: { Authorization: 'Bearer x' } })).status,
      ).toBe(401);
    expect((await one.request('/api/v1/admin/feeds', { headers: { Authorization: 'Bearer x' } })).status).toBe(429);
    expect((await two.request('/api/v1/admin/feeds', { headers: { Authorization: 'Bearer x' } })).status).toBe(429);
    expect((await two.request('/api/v1/admin/feeds', { headers: auth })).status).toBe(200);
  });

  it('never logs the token', () => {
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });
});

describe('admin actions', () => {
  it('adds and removes feeds; rejects bad and private URLs', async () => {
    const res = await post(app, '/api/v1/admin/feeds', {
      url: 'https://news.example.org/rss',
      name: 'Example',
      tier: 2,
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: number };
    expect(await t.get('SELECT origin, status, tier FROM feeds WHERE id = ?', id)).toEqual({
      origin: 'api',
      status: 'active',
      tier: 2,
    });
    expect((await post(app, '/api/v1/admin/feeds', { url: 'https://news.example.org/rss' })).status).toBe(409);
    for (const url of [
      'file:///etc/passwd',
      'gopher://x.example/',
      'javascript:alert(1)',
      'http://127.0.0.1/',
      'http://[::1]/',
      'http://169.254.169.254/latest',
      'http://10.0.0.1/',
      'http://2130706433/',
      'http://0x7f.1/',
      'http://[::ffff:127.0.0.1]/',
      'http://localhost:8080/',
      'not a url',
    ]) {
      expect((await post(app, '/api/v1/admin/feeds', { url })).status, url).toBe(400);
    }
    expect((await app.request(`/api/v1/admin/feeds/${id}`, { method: 'DELETE', headers: auth })).status).toBe(200);
    expect(await t.get('SELECT status FROM feeds WHERE id = ?', id)).toEqual({ status: 'removed' });
    expect((await app.request(`/api/v1/admin/feeds/${id}`, { method: 'DELETE', headers: auth })).status).toBe(404);
  });

  it('parses ids as strict decimals and tiers as integers 1-5 (issue 18.10: 0x10 removed feed 16, tier true accepted)', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 17; i++) {
      const r = await post(app, '/api/v1/admin/feeds', { url: `https://strict${i}.example.org/rss` });
      ids.push(((await r.json()) as { id: number }).id);
    }
    const target = ids[16]!;
    for (const bad of [
      `0x${target.toString(16)}`,
      `${target}.0`,
      `+${target}`,
      ` ${target}`,
      `${target}e0`,
      `0${target}`,
      '1e3',
      '-1',
      '',
    ])
      expect(
        (await app.request(`/api/v1/admin/feeds/${encodeURIComponent(bad)}`, { method: 'DELETE', headers: auth }))
          .status,
        bad,
      ).toBeOneOf([400, 404]);
    expect(await t.get('SELECT status FROM feeds WHERE id = ?', target)).toEqual({ status: 'active' });
    const hex = await app.request(`/api/v1/admin/feeds/0x${target.toString(16)}`, { method: 'DELETE', headers: auth });
    expect(hex.status).toBe(400);
    expect(((await hex.json()) as { error: { code: string } }).error.code).toBe('bad_id');
    expect((await app.request(`/api/v1/admin/subscribers/0x1`, { method: 'DELETE', headers: auth })).status).toBe(400);
    for (const tier of [true, 2.5, 0, 6, '0x2', null, 'three'])
      expect(
        (await post(app, '/api/v1/admin/feeds', { url: `https://tier-${String(tier)}.example.org/rss`, tier })).status,
        String(tier),
      ).toBe(400);
    // Form bodies carry every value as text: a decimal string is the integer it spells.
    const form = await app.request('/api/v1/admin/feeds', {
      method: 'POST',
      body: 'url=https%3A%2F%2Fform-tier.example.org%2Frss&tier=4',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...auth },
    });
    expect(form.status).toBe(201);
    const bad = await app.request('/api/v1/admin/feeds', {
      method: 'POST',
      body: 'url=https%3A%2F%2Fform-tier2.example.org%2Frss&tier=true',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...auth },
    });
    expect(bad.status).toBe(400);
  });

  it('a feed added with a schedule keeps it; a bad one is 400 bad_schedule and adds nothing', async () => {
    const ok = await post(app, '/api/v1/admin/feeds', { url: 'https://wire.example.org/rss', schedule: '*/5 * * * *' });
    expect(ok.status).toBe(201);
    const { id } = (await ok.json()) as { id: number };
    expect(await t.get('SELECT schedule FROM feeds WHERE id = ?', id)).toEqual({ schedule: '*/5 * * * *' });
    for (const schedule of ['0 25 * * *', '*/5 * * *', 5]) {
      const res = await post(app, '/api/v1/admin/feeds', { url: 'https://bad-schedule.example.org/rss', schedule });
      expect(res.status, String(schedule)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('bad_schedule');
    }
    expect(await t.get("SELECT id FROM feeds WHERE url LIKE '%bad-schedule%'")).toBeUndefined();
  });

  it('trigger ingest: 501 without the injected action, 202 with it', async () => {
    const res = await post(app, '/api/v1/admin/ingest', {});
    expect(res.status).toBe(501);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/not wired/);
    let ran = 0;
    const wired = createApp(
      testDeps(t, { env: { ADMIN_TOKEN: TOKEN }, actions: { ingestNow: async () => ({ feeds: ++ran }) } }),
    );
    const ok = await post(wired, '/api/v1/admin/ingest', {});
    expect(ok.status).toBe(202);
    expect(ran).toBe(1);
  });

  it('resolves a scenario once and asks for a recompute', async () => {
    const res = await post(app, '/api/v1/admin/resolutions', {
      scenario: 'deal',
      outcome: 'no',
      note: 'deadline passed',
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { recomputed: boolean }).recomputed).toBe(true);
    expect(calls).toEqual(['resolution:deal']);
    expect(await t.get('SELECT outcome FROM resolutions WHERE scenario_id = ?', 'deal')).toEqual({
      outcome: 'no',
    });
    expect((await post(app, '/api/v1/admin/resolutions', { scenario: 'deal', outcome: 'yes' })).status).toBe(409);
    expect((await post(app, '/api/v1/admin/resolutions', { scenario: 'nope', outcome: 'yes' })).status).toBe(400);
    expect((await post(app, '/api/v1/admin/resolutions', { scenario: 'frozen', outcome: 'maybe' })).status).toBe(400);
    const api = (await (await app.request('/api/v1/scenarios')).json()) as {
      scenarios: { id: string; resolved: boolean; outcome: string | null }[];
    };
    expect(api.scenarios.find((s) => s.id === 'deal')).toMatchObject({ resolved: true, outcome: 'no' });
  });

  it('manages subscribers with random tokens', async () => {
    const a = (await (
      await post(app, '/api/v1/admin/subscribers', { email: 'a@example.org', digest: 'daily' })
    ).json()) as { id: number; token: string };
    const b = (await (await post(app, '/api/v1/admin/subscribers', { email: 'b@example.org' })).json()) as {
      id: number;
      token: string;
    };
    expect(a.token).toMatch(/^[\w-]{32}$/);
    expect(a.token).not.toBe(b.token);
    expect((await post(app, '/api/v1/admin/subscribers', { email: 'a@example.org' })).status).toBe(409);
    expect((await post(app, '/api/v1/admin/subscribers', { email: 'not-an-email' })).status).toBe(400);
    expect((await app.request(`/api/v1/admin/subscribers/${a.id}`, { method: 'DELETE', headers: auth })).status).toBe(
      200,
    );
    const list = (await (await app.request('/api/v1/admin/subscribers', { headers: auth })).json()) as {
      subscribers: { email: string; unsubscribed_at: string | null }[];
    };
    expect(list.subscribers.find((s) => s.email === 'a@example.org')!.unsubscribed_at).toBe(now.toISOString());
  });

  it('adds webhook subscribers (generic with a signing secret, Slack, Discord) and refuses bad ones', async () => {
    const res = await post(app, '/api/v1/admin/subscribers', {
      webhook: { url: 'https://hooks.example/bw', format: 'webhook' },
      rules: { kinds: ['probability_move'] },
    });
    expect(res.status).toBe(201);
    const hook = (await res.json()) as { channel: string; url: string; secret: string; email: string };
    expect(hook).toMatchObject({ channel: 'webhook', url: 'https://hooks.example/bw' });
    expect(hook.secret).toMatch(/^[\w-]{32}$/);
    const slack = await post(app, '/api/v1/admin/subscribers', {
      webhook: { url: 'https://hooks.slack.example/T/B/x', format: 'slack' },
    });
    expect(((await slack.json()) as { secret: string | null }).secret).toBeNull();
    expect((await post(app, '/api/v1/admin/subscribers', { webhook: { url: 'file:///etc/passwd' } })).status).toBe(400);
    expect(
      (await post(app, '/api/v1/admin/subscribers', { webhook: { url: 'https://x.example', format: 'teams' } })).status,
    ).toBe(400);
    const list = (await (await app.request('/api/v1/admin/subscribers', { headers: auth })).json()) as {
      subscribers: { channel: string; url: string | null }[];
    };
    expect(list.subscribers.filter((s) => s.channel !== 'email').map((s) => s.channel)).toEqual(['webhook', 'slack']);
    expect(JSON.stringify(list)).not.toContain(hook.secret);
  });

  it('admin responses are not opened to other origins by CORS', async () => {
    const res = await app.request('/api/v1/admin/feeds', { headers: auth });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});
