// The ingest and feeds verbs through the real CLI (node bin/bellwether.js), a real database (SQLite
// file or PostgreSQL schema) and a real local feed server.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { numberedItems, rss } from './helpers/ingest-feeds.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

const run = promisify(execFile);
let server: FeedServer;
let dir: string;
let database: TestDatabase;

beforeAll(async () => {
  server = await startFeedServer();
  server.route('/good.xml', {
    status: 200,
    headers: { 'content-type': 'application/rss+xml' },
    body: rss(numberedItems(1, 4)),
  });
  server.route('/broken.xml', {
    status: 200,
    headers: { 'content-type': 'text/html' },
    body: '<html><body>nope</body></html>',
  });
  dir = mkdtempSync(path.join(tmpdir(), 'bw-ingest-cli-'));
  database = await createTestDatabase(dir, 'cli.db');
});
afterAll(async () => {
  await server.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run(process.execPath, ['bin/bellwether.js', ...args], {
      // vitest sets BASE_URL=/ (a Vite variable); the CLI would reject it.
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PACK: 'test/fixtures/ingest-cli/pack.yaml',
        LOG_LEVEL: 'error',
        ALLOW_PRIVATE_FEEDS: '1',
        BASE_URL: 'http://localhost:8080',
        ...env,
      },
    });
    return { ...r, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe('bellwether feeds and ingest', () => {
  it('adds feeds, refuses private addresses without ALLOW_PRIVATE_FEEDS, ingests with a per-feed summary, lists health, exports and imports OPML', async () => {
    const added = await cli(['feeds', 'add', server.url('/good.xml'), '--tier', '2', '--name', 'Good']);
    expect(added.stdout, added.stderr).toMatch(/^added /);
    expect((await cli(['feeds', 'add', server.url('/broken.xml'), '--tier', '4'])).code).toBe(0);
    const refused = await cli(['feeds', 'add', 'http://127.0.0.1:9/x.xml', '--tier', '1'], {
      ALLOW_PRIVATE_FEEDS: '0',
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/private, loopback or link-local/);

    const json = await cli(['ingest', '--once', '--all', '--json']);
    // --json: one document for the run.
    expect(json.stdout.trim().split('\n')).toHaveLength(1);
    const doc = JSON.parse(json.stdout) as { feeds: unknown[]; totals: unknown };
    expect(doc.totals).toEqual({ feeds: 2, new: 4, updated: 0, unchanged: 0, failed: 1 });
    expect(doc.feeds).toEqual([
      { url: server.url('/good.xml'), status: 'ok', new: 4, updated: 0, unchanged: 0, error: null },
      {
        url: server.url('/broken.xml'),
        status: 'error',
        new: 0,
        updated: 0,
        unchanged: 0,
        error: expect.stringMatching(/^not_a_feed: /),
      },
    ]);
    const text = await cli(['ingest', '--once', '--all']);
    expect(text.stdout).toMatch(/ok\s+0 new\s+0 updated\s+4 unchanged/);
    expect(text.stdout).toMatch(/2 feeds: 0 new, 0 updated, 4 unchanged, 1 failed/);
    expect(JSON.parse((await cli(['ingest', '--once', '--json'])).stdout)).toEqual({
      feeds: [],
      totals: { feeds: 0, new: 0, updated: 0, unchanged: 0, failed: 0 },
    });

    const { feeds: list } = JSON.parse((await cli(['feeds', 'list', '--json'])).stdout) as {
      feeds: Record<string, unknown>[];
    };
    expect(list[0]).toMatchObject({ url: server.url('/good.xml'), status: 'active', itemCount: 4, lastError: null });
    expect(list[1]).toMatchObject({
      status: 'failing',
      itemCount: 0,
      consecutiveFailures: 2,
      lastError: expect.stringMatching(/^not_a_feed/),
    });
    expect((await cli(['feeds', 'list'])).stdout).toMatch(/status failing {2}tier 4 {2}items 0/);

    const opml = (await cli(['feeds', 'export'])).stdout;
    expect(opml).toContain(`xmlUrl="${server.url('/good.xml')}" tier="2"`);
    expect((await cli(['feeds', 'remove', server.url('/good.xml')])).stdout).toMatch(/^removed/);
    // Only the broken feed is left: a run in which every feed failed exits 1.
    const allFailed = await cli(['ingest', '--once', '--all']);
    expect(allFailed.code).toBe(1);
    expect(allFailed.stdout).toMatch(/1 feeds: 0 new, 0 updated, 0 unchanged, 1 failed/);
    const file = path.join(dir, 'feeds.opml');
    writeFileSync(file, opml);
    const imported = await cli(['feeds', 'import', file]);
    expect(imported.stdout).toMatch(/1 added, 1 skipped/);
    expect(imported.stdout).toMatch(/skipped .*broken\.xml: feed already present/);
  }, 180_000);
});

describe('feed URLs at the CLI (issue 18, 10)', () => {
  it('refuses a 100 KB URL with the same 2,048-character cap as the admin API', async () => {
    const r = await cli(['feeds', 'add', `http://example.org/${'a'.repeat(100_000)}`, '--tier', '3']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/feed URL too long: 100019 characters \(at most 2048\)/);
    expect((await cli(['feeds', 'list', '--json'])).stdout).not.toContain('aaaa');
  }, 60_000);

  it('`feeds remove` finds an IPv6 feed however its address is spelled, as `feeds add` does', async () => {
    expect((await cli(['feeds', 'add', 'http://[2001:DB8:0:0::1]:8080/feed', '--tier', '3'])).code).toBe(0);
    const removed = await cli(['feeds', 'remove', 'http://[2001:db8::0:1]:8080/feed#top']);
    expect([removed.code, removed.stdout.trim()]).toEqual([0, 'removed http://[2001:db8::1]:8080/feed']);
  }, 60_000);
});

describe('a reader that goes away', () => {
  it('`… | head` ends quietly: exit 0 and no EPIPE stack trace', async () => {
    // 40 pack files to validate print 40 lines; the reader closes its end before the first one, so every
    // write after the first meets a closed pipe.
    const files = Array.from({ length: 40 }, () => 'test/fixtures/packs/minimal.yaml');
    const child = spawn(process.execPath, ['bin/bellwether.js', 'pack', 'validate', ...files], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BASE_URL: '' },
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    expect(stderr).toBe('');
    expect(code).toBe(0);
  }, 60_000);
});
