// Scale benchmark (issue 14 point 5): 1,000,000 synthetic articles, 10,000 feeds and 100,000 subscribers
// on SQLite and on a throwaway PostgreSQL 15 cluster; for each backend the first updateForecast after start,
// the engine's recompute, page p95s over real HTTP (wrk on 127.0.0.1, /healthz as the same-run reference),
// a cold ingest of 100,000 items from local feed XML beside bare parsing of the same bytes, and the outbox
// drain to a local SMTP server beside bare pooled nodemailer. Prints figures; asserts nothing.
// `npm run bench -- scale [--articles N] [--backend sqlite|postgres|both] [--seconds S] [--emails N]
//  [--only forecast,http,ingest,drain]`
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { openDatabase } from '../src/db/connect.ts';
import { migrateOrThrow } from '../src/db/migrate.ts';
import { loadPack } from '../src/pack/load.ts';
import { startSmtp } from '../test/helpers/alerts-smtp.ts';
import { type PgCluster, startPgCluster } from '../test/helpers/postgres-cluster.ts';
import { PACK_FILE } from '../test/helpers/seed.ts';
import { copyToPostgres, seedScale } from './scale-seed.ts';
import { ensureWrk, loadAverage, startServer, stopServer, wrkRunner } from './wrk.ts';

const { values: args } = parseArgs({
  options: {
    articles: { type: 'string', default: '1000000' },
    feeds: { type: 'string', default: '10000' },
    subscribers: { type: 'string', default: '100000' },
    backend: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '5' },
    emails: { type: 'string', default: '2000' },
    only: { type: 'string', default: 'forecast,http,ingest,drain' },
  },
});
const count = (name: string, v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got "${v}"`);
  return n;
};
const size = {
  articles: count('articles', args.articles),
  feeds: count('feeds', args.feeds),
  subscribers: count('subscribers', args.subscribers),
};
if (!['sqlite', 'postgres', 'both'].includes(args.backend))
  throw new Error(`--backend must be sqlite, postgres or both, got "${args.backend}"`);
const backends = args.backend === 'both' ? ['sqlite', 'postgres'] : [args.backend];
const emails = count('emails', args.emails);
const PARTS = ['forecast', 'http', 'ingest', 'drain'];
const parts = new Set(args.only.split(',').map((p) => p.trim()));
for (const p of parts) if (!PARTS.includes(p)) throw new Error(`--only takes ${PARTS.join(', ')}, got "${p}"`);

const run = promisify(execFile);
/** Runs a bench helper in a fresh process (as after `start`) and parses the JSON line it prints last. */
async function child<T>(file: string, argv: string[]): Promise<T> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, file), ...argv],
    {
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!) as T;
}

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const say = (line: string) => process.stdout.write(`${line}\n`);
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

interface ForecastFigures {
  evidence: number;
  firstMs: number;
  secondMs: number;
  readMs: number;
  recomputeMs: number;
  referenceMs: number;
}
interface IngestFigures {
  items: number;
  newItems: number;
  feedsNotOk: number;
  polled: number;
  ingestMs: number;
  ingestCpuMs: number;
  parseMs: number;
  megabytes: number;
}
interface DrainFigures {
  emails: number;
  sent: number;
  failed: number;
  retrying: number;
  drainMs: number;
  bareMs: number;
  errors: string[];
}

async function measure(kind: string, url: string, dir: string, scenario: string, now: Date): Promise<void> {
  say(`\n### ${kind} (${size.articles.toLocaleString('en')} articles)`);
  if (parts.has('forecast')) await measureForecast(url, now);
  if (parts.has('http')) await measureHttp(url, dir, scenario);
  if (parts.has('ingest')) await measureIngest(url, now);
  if (parts.has('drain')) await measureDrain(url, now);
  say(`load average at the end: ${loadAverage()} (2 cores)`);
}

async function measureForecast(url: string, now: Date): Promise<void> {
  const at = new Date(now.getTime() + 1000).toISOString();
  const f = await child<ForecastFigures>('scale-forecast.ts', [url, PACK_FILE, at]);
  say(
    `first updateForecast after start: ${f.firstMs.toFixed(0)} ms (${f.evidence.toLocaleString('en')} evidence rows; reading them alone ${f.readMs.toFixed(0)} ms)  [target < 500 ms at 100k articles] ${size.articles <= 100_000 ? verdict(f.firstMs < 500) : ''}`,
  );
  say(`second updateForecast (incremental, nothing new): ${f.secondMs.toFixed(1)} ms`);
  say(
    `forecast recompute from scratch (engine, evidence in memory): ${f.recomputeMs.toFixed(0)} ms, beside ${f.referenceMs.toFixed(0)} ms for a Date.parse + Map.set loop over the same rows`,
  );
}

async function measureHttp(url: string, dir: string, scenario: string): Promise<void> {
  const wrk = wrkRunner(dir, count('seconds', args.seconds));
  const { child: server, url: base } = await startServer(url, PACK_FILE);
  try {
    const pages = ['/scenarios/' + scenario, '/evidence', '/indicators', '/api/v1/evidence'];
    for (const p of ['/', '/api/v1/scenarios', ...pages]) await (await fetch(base + p)).text();
    wrk(`${base}/`, 4);
    const ms = (us: number) => (us / 1000).toFixed(2);
    const ref = wrk(`${base}/healthz`, 4);
    say(`/healthz (same-run reference), 4 connections: p50 ${ms(ref.p50)} ms, p95 ${ms(ref.p95)} ms`);
    for (const p of ['/', '/api/v1/scenarios']) {
      const r = wrk(base + p, 4);
      say(
        `${p}, 4 connections: p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, ${r.rps.toFixed(0)} req/s, ${r.errors} errors`,
      );
    }
    const limit = size.articles >= 1_000_000 ? 50 : size.articles <= 100_000 ? 10 : null;
    for (const p of pages) {
      const r = wrk(base + p, 4);
      const p95 = r.p95 / 1000;
      say(
        `${p} (uncached), 4 connections: p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, ${r.rps.toFixed(0)} req/s, ${r.errors} errors  [target p95 < 50 ms at 1M, < 10 ms at 100k] ${limit ? verdict(p95 < limit) : ''}`,
      );
    }
    say(`load average after the HTTP runs: ${loadAverage()} (2 cores)`);
  } finally {
    await stopServer(server);
  }
}

async function measureIngest(url: string, now: Date): Promise<void> {
  const i = await child<IngestFigures>('scale-ingest.ts', [url, now.toISOString()]);
  const rate = i.newItems / (i.ingestMs / 1000);
  const ratio = i.ingestMs / i.parseMs;
  say(
    `cold ingest: ${i.newItems.toLocaleString('en')} new items of ${i.items.toLocaleString('en')} (${i.megabytes.toFixed(0)} MB of RSS, ${i.polled} feeds, ${i.feedsNotOk} not ok) in ${secs(i.ingestMs)} = ${rate.toFixed(0)} items/s (${secs(i.ingestCpuMs)} CPU in the ingesting process)  [target ≥ 4,000] ${verdict(rate >= 4000)}`,
  );
  say(
    `bare rss-parser parseString of the same bytes, same run: ${secs(i.parseMs)}; ingest = ${ratio.toFixed(1)} × bare parsing  [target ≤ 6 ×] ${verdict(ratio <= 6)}`,
  );
}

async function measureDrain(url: string, now: Date): Promise<void> {
  const smtp = await startSmtp();
  try {
    const d = await child<DrainFigures>('scale-drain.ts', [url, smtp.url, now.toISOString(), String(emails)]);
    const drainRate = d.sent / (d.drainMs / 1000);
    say(
      `outbox drain to a local SMTP server: ${d.sent} emails sent (${d.failed} failed, ${d.retrying} retrying${d.errors.length ? `; ${d.errors.join('; ')}` : ''}) in ${secs(d.drainMs)} = ${drainRate.toFixed(0)} emails/s  [target ≥ 200] ${verdict(drainRate >= 200)}`,
    );
    say(
      `bare pooled nodemailer, same run, same server: ${d.emails} messages in ${secs(d.bareMs)} = ${(d.emails / (d.bareMs / 1000)).toFixed(0)} emails/s`,
    );
  } finally {
    await smtp.close();
  }
}

async function main(): Promise<void> {
  if (parts.has('http')) ensureWrk();
  const dir = mkdtempSync(path.join(tmpdir(), 'bw-scale-'));
  const loaded = loadPack(PACK_FILE);
  const now = new Date();
  const file = path.join(dir, 'scale.db');
  let cluster: PgCluster | null = null;
  try {
    say(`load average before seeding: ${loadAverage()} (2 cores)`);
    let t = performance.now();
    const handle = openDatabase({ kind: 'sqlite', file });
    await migrateOrThrow(handle.db);
    const counts = seedScale(handle.sqlite!, loaded.pack, loaded.rulesHash, size, now);
    handle.sqlite!.pragma('wal_checkpoint(TRUNCATE)');
    handle.sqlite!.exec('ANALYZE');
    say(`seeded SQLite in ${secs(performance.now() - t)}: ${JSON.stringify(counts)}`);
    let pgUrl: string | null = null;
    if (backends.includes('postgres')) {
      t = performance.now();
      cluster = await startPgCluster({ durable: true });
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('create database scale');
      await admin.end();
      const u = new URL(cluster.url);
      u.pathname = '/scale';
      pgUrl = u.toString();
      const target = openDatabase({ kind: 'postgres', url: pgUrl });
      await migrateOrThrow(target.db);
      await target.close();
      await copyToPostgres(handle.sqlite!, pgUrl);
      say(`copied into PostgreSQL 15 (default settings, fsync on) in ${secs(performance.now() - t)}`);
    }
    await handle.close();
    const scenario = loaded.pack.scenarios[0]!.id;
    if (backends.includes('sqlite')) await measure('SQLite', file, dir, scenario, now);
    if (pgUrl) await measure('PostgreSQL 15', pgUrl, dir, scenario, now);
  } finally {
    cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
