// Issue 18, deliverable 4: `start`, `ingest --once`, `retag` and `replay` run on one SQLite database at
// once while clients hammer the pages and the API. No SQLITE_BUSY ("database is locked") reaches a
// user — no command fails with it, no response carries it — and no request gets a 5xx. A fifth process
// writes in a loop all the while (without BEGIN IMMEDIATE and retries, `replay` failed against it).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliChild, cli, corpus, expectIntegrity, writeCorpus } from './helpers/crash.ts';
import { type FeedServer, startFeedServer } from './helpers/feed-server.ts';
import { numberedItems, rss } from './helpers/ingest-feeds.ts';
import { writeMinimalPack } from './helpers/packs.ts';
import { tempDir } from './helpers/temp-dir.ts';

const BUSY = /SQLITE_BUSY|database is locked|SqliteError/;
const PAGES = [
  '/',
  '/scenarios/deal',
  '/evidence',
  '/indicators',
  '/feeds',
  '/alerts',
  '/api/v1/scenarios',
  '/api/v1/history',
  '/api/v1/evidence',
  '/api/v1/indicators',
  '/api/v1/feeds',
  '/api/v1/alerts',
  '/feed.json',
  '/metrics',
  '/healthz',
];
let feeds: FeedServer;
let dir: string;
let env: Record<string, string>;
let corpusFile: string;
let pack: string;

beforeAll(async () => {
  feeds = await startFeedServer();
  const lines: string[] = [];
  for (let f = 0; f < 12; f++) {
    feeds.route(`/c/${f}.xml`, {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss(
        numberedItems(f, 40).map((it, i) => ({
          ...it,
          title: i % 3 === 0 ? `Trump and Putin to meet at a summit, report ${f}-${i}` : it.title,
          pubDate: new Date(Date.now() - i * 3_600_000).toUTCString(),
        })),
      ),
      delayMs: 30,
    });
    lines.push(`  - { url: "${feeds.url(`/c/${f}.xml`)}", name: Feed ${f}, tier: 2 }`);
  }
  dir = tempDir('bw-concurrency-');
  pack = writeMinimalPack(dir, { feedsYaml: `feeds:\n${lines.join('\n')}` });
  corpusFile = writeCorpus(dir, corpus(200, 60));
  env = { DATABASE_URL: path.join(dir, 'shared.db'), PACK: pack, LOG_LEVEL: 'warn' };
});
afterAll(async () => {
  await feeds.close();
});

async function finish(c: CliChild, what: string): Promise<void> {
  const { code } = await c.exited;
  expect(c.stderr(), `${what} printed a busy error`).not.toMatch(BUSY);
  expect(code, `${what} failed: ${c.stderr()}`).toBe(0);
}

describe('everything at once on one database', () => {
  it('start, ingest --once, retag and replay while clients hammer pages and the API: no busy error, no 5xx', async () => {
    const start = cli(['start'], env);
    const url = await new Promise<string>((resolve, reject) => {
      start.child.stdout!.on('data', () => {
        const m = / at (http:\/\/\S+) /.exec(start.stdout());
        if (m) resolve(m[1]!);
      });
      void start.exited.then(() => reject(new Error(`start exited: ${start.stderr()}`)));
    });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let stop = false;
    let resent = 0;
    const client = async (offset: number) => {
      for (let i = offset; !stop; i++) {
        const page = PAGES[i % PAGES.length]!;
        try {
          // A keep-alive connection the server closed as it was reused fails before any answer: that is the
          // client's race, not a server error, so such a request is sent once more on a fresh connection.
          const get = () => fetch(`${url}${page}`, { signal: AbortSignal.timeout(60_000) });
          const res = await get().catch(async (error: unknown) => {
            const code = (error as { cause?: { code?: string } }).cause?.code;
            if (code !== 'ECONNRESET' && code !== 'UND_ERR_SOCKET') throw error;
            resent++;
            return get();
          });
          const body = await res.text();
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status >= 500) failures.push(`${page}: ${res.status} ${body.slice(0, 200)}`);
          if (BUSY.test(body)) failures.push(`${page}: busy error in the body`);
        } catch (error) {
          const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
          failures.push(`${page}: ${(error as Error).message} (${cause?.code ?? ''} ${cause?.message ?? ''})`);
        }
      }
    };
    const clients = Array.from({ length: 4 }, (_, i) => client(i * 3));
    // The writers: `ingest --once` again and again (two at a time) for as long as a replay of a corpus
    // (its own feeds) and a retag run, so every transaction of those meets commits of the others.
    let writing = true;
    let ingests = 0;
    const ingestLoop = async () => {
      while (writing) await finish(cli(['ingest', '--once', '--all'], env), `ingest --once #${++ingests}`);
    };
    const loops = [ingestLoop(), ingestLoop()];
    // And one more process writing all the while (20 ms write transactions), as a second tracker would.
    const other = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/helpers/busy-writer.ts', env.DATABASE_URL!, '20', '30'],
      {
        cwd: path.resolve(import.meta.dirname, '..'),
        stdio: 'ignore',
      },
    );
    await Promise.all([
      finish(cli(['replay', '--pack', pack, '--corpus', corpusFile], env), 'replay'),
      (async () => {
        await new Promise((r) => setTimeout(r, 500));
        await finish(cli(['retag'], env), 'retag');
      })(),
    ]);
    writing = false;
    await Promise.all(loops);
    other.kill('SIGKILL');
    stop = true;
    await Promise.all(clients);
    start.child.kill('SIGTERM');
    await start.exited;
    expect(start.stderr(), 'start logged a busy error').not.toMatch(BUSY);
    expectIntegrity(env.DATABASE_URL!);
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    process.stdout.write(
      `concurrency: ${total} requests during the writers (${resent} sent again after a connection reset), statuses ${JSON.stringify(Object.fromEntries(statuses))}\n`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    expect(total).toBeGreaterThan(50);
  }, 300_000);
});
