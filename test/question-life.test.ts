// A question has a life: live, a deadline passed unresolved, closed at its horizon, resolved by an admin.
// The API carries the state, the dashboard shows a banner with what to do, `start` and `pack validate` warn.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCli } from '../src/cli.ts';
import { validatePackFiles } from '../src/cli/commands/pack.ts';
import { openDatabase } from '../src/db/connect.ts';
import { loadPack } from '../src/pack/load.ts';
import { createApp } from '../src/server/app.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { insertArticle, insertFeed, openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { tempDir } from './helpers/temp-dir.ts';
import { createTestDatabase } from './helpers/test-database.ts';

const root = path.resolve(import.meta.dirname, '..');
const CLOSED = path.join(root, 'test/fixtures/packs/closed-2025.yaml');
const ALICE = 'alice-token-0123456789abcdef';
const now = new Date('2026-12-02T09:00:00Z');
let t: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestDb();
  app = createApp(testDeps(t, { pack: loadPack(CLOSED), now: () => now, env: { ADMIN_TOKENS: `alice=${ALICE}` } }));
});
afterAll(() => t.close());

interface ScenariosBody {
  closed: boolean;
  horizon: string;
  attention: string[];
  scenarios: {
    id: string;
    deadlinePassed: boolean;
    resolved: boolean;
    resolution: { outcome: string; resolvedBy: string | null; note: string | null } | null;
  }[];
}
const scenarios = async (a = app) => (await (await a.request('/api/v1/scenarios')).json()) as ScenariosBody;
const post = (body: unknown) =>
  app.request('/api/v1/admin/resolutions', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${ALICE}` },
  });

describe('a question that has run out', () => {
  it('says so in the API: closed at the question level, deadlinePassed per scenario', async () => {
    const body = await scenarios();
    expect(body.closed).toBe(true);
    expect(body.horizon).toBe('2026-01-31');
    expect(body.scenarios.find((s) => s.id === 'deal')).toMatchObject({
      deadlinePassed: true,
      resolved: false,
      resolution: null,
    });
    expect(body.attention).toEqual([
      expect.stringContaining('closed at its horizon 2026-01-31 and no scenario is resolved yes'),
    ]);
  });

  it('shows a banner with what to do on the overview and the scenario pages', async () => {
    for (const page of ['/', '/scenarios/deal']) {
      const html = await (await app.request(page)).text();
      expect(html).toMatch(
        /<p class="banner" role="status">The question &quot;Russia–Ukraine peace push \(November 2025\)&quot; closed at its horizon 2026-01-31/,
      );
      expect(html).toContain('<code>bellwether resolve SCENARIO --outcome yes|no</code>');
    }
  });

  it('an admin resolves it through the API; the page says how, when and by whom, and the banner goes', async () => {
    const res = await post({
      scenario: 'collapse',
      outcome: 'yes',
      resolvedAt: '2026-01-31T23:59:00Z',
      note: 'No framework and no ceasefire by the horizon.',
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ scenario: 'collapse', outcome: 'yes', resolvedBy: 'alice' });
    const body = await scenarios();
    expect(body).toMatchObject({ closed: true, attention: [] });
    expect(body.scenarios.find((s) => s.id === 'collapse')!.resolution).toEqual({
      outcome: 'yes',
      resolvedAt: '2026-01-31T23:59:00.000Z',
      resolvedBy: 'alice',
      note: 'No framework and no ceasefire by the horizon.',
    });
    // The other scenarios no longer owe anything: a yes settles the question.
    expect(body.scenarios.filter((s) => s.deadlinePassed)).toEqual([]);
    const page = await (await app.request('/scenarios/collapse')).text();
    expect(page).toContain(
      '<strong>Resolved yes</strong> on <time datetime="2026-01-31T23:59:00.000Z">2026-01-31 23:59 UTC</time> by alice',
    );
    expect(page).toContain('No framework and no ceasefire by the horizon.');
    expect(page).not.toContain('class="banner"');
  });

  it('refuses a second resolution of the same scenario (409) unless replace is true', async () => {
    const again = await post({ scenario: 'collapse', outcome: 'no' });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('already resolved');
    expect((await post({ scenario: 'collapse', outcome: 'yes', replace: 'maybe' })).status).toBe(400);
    expect((await post({ scenario: 'collapse', outcome: 'yes', replace: true, note: 'confirmed' })).status).toBe(201);
    expect(
      await t.get("SELECT count(*) AS n, max(note) AS note FROM resolutions WHERE scenario_id = 'collapse'"),
    ).toEqual({ n: 1, note: 'confirmed' });
  });
});

describe('a live question', () => {
  it('has no spent scenario and no banner when its deadlines lie ahead', async () => {
    const live = await openTestDb();
    try {
      const file = writeMinimalPack(tempDir(), { now });
      // A working feed with a story: the first-run banners (no feed, no story) are not what this checks.
      await live.seed((db) => {
        const feed = insertFeed(db, { url: 'https://a.example/rss', name: 'A', at: now.toISOString() });
        insertArticle(db, { feedId: feed, title: 'A story', publishedAt: now.toISOString() });
      });
      const a = createApp(testDeps(live, { pack: loadPack(file), now: () => now }));
      const body = await scenarios(a);
      expect(body).toMatchObject({ closed: false, attention: [] });
      expect(body.scenarios.every((s) => !s.deadlinePassed)).toBe(true);
      expect(await (await a.request('/')).text()).not.toContain('class="banner"');
    } finally {
      await live.close();
    }
  });
});

describe('bellwether resolve and pack validate', () => {
  async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const o = vi
      .spyOn(process.stdout, 'write')
      .mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
    const e = vi
      .spyOn(process.stderr, 'write')
      .mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
    try {
      const code = await runCli(args);
      process.exitCode = undefined;
      return { code, out, err };
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
  }

  it('resolve records who did it and refuses to overwrite without --replace', async () => {
    const made = await createTestDatabase(tempDir(), 'cli.db');
    const base = ['--pack', CLOSED, '--db', made.url];
    expect((await cli(['resolve', 'deal', '--outcome', 'no', '--at', '2025-11-28', ...base])).code).toBe(0);
    const second = await cli(['resolve', 'deal', '--outcome', 'yes', ...base]);
    expect(second.code).toBe(3);
    expect(second.err).toContain('scenario deal is already resolved (replace it with --replace');
    expect(
      (
        await cli([
          'resolve',
          'deal',
          '--outcome',
          'no',
          '--at',
          '2025-11-28',
          '--replace',
          '--note',
          'checked',
          ...base,
        ])
      ).code,
    ).toBe(0);
    const handle = openDatabase(made.target);
    try {
      expect(await handle.db.selectFrom('resolutions').select(['outcome', 'note', 'resolved_by']).execute()).toEqual([
        { outcome: 'no', note: 'checked', resolved_by: expect.stringMatching(/^cli:.+/) },
      ]);
    } finally {
      await handle.close();
      await made.drop();
    }
  });

  it('pack validate warns about a pack whose every date is past, and not about a live one', () => {
    const lines: string[] = [];
    expect(validatePackFiles([CLOSED], (l) => lines.push(l), now)).toBe(0);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^warning: \S*closed-2025\.yaml: horizon: every deadline and the horizon \(2026-01-31\) lie in the past: this question can only be replayed and scored, not tracked live$/,
      ),
    );
    const live: string[] = [];
    expect(validatePackFiles([writeMinimalPack(tempDir(), { now })], (l) => live.push(l), now)).toBe(0);
    expect(live.filter((l) => l.startsWith('warning'))).toEqual([]);
  });
});

describe('bellwether start on a closed question', () => {
  it('logs the warning at start-up', async () => {
    const database = await createTestDatabase(tempDir(), 'bw.db');
    const child = spawn(process.execPath, ['bin/bellwether.js', 'start'], {
      cwd: root,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        LOG_LEVEL: 'warn',
        PACK: CLOSED,
        DATABASE_URL: database.url,
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no warning within 15 s: ${stderr}`)), 15_000);
        child.stderr.on('data', (d: Buffer) => {
          stderr += d.toString();
          if (stderr.includes('closed at its horizon')) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.on('exit', () => reject(new Error(`exited early: ${stderr}`)));
      });
      // Not a terminal: the log is JSON lines.
      const warning = stderr
        .split('\n')
        .filter((l) => l.includes('closed at its horizon'))
        .map((l) => JSON.parse(l) as { level: string; msg: string })[0];
      expect(warning?.level).toBe('warn');
      expect(warning?.msg).toMatch(
        /^The question "Russia–Ukraine peace push \(November 2025\)" closed at its horizon 2026-01-31 and no scenario is resolved yes: record it with `bellwether resolve/,
      );
    } finally {
      child.kill('SIGKILL');
    }
  });
});
