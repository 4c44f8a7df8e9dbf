// Server benchmark: 100,000 articles and a year of daily snapshots; wrk against the real app on 127.0.0.1.
// Targets: overview p95 < 5 ms and p99 < 20 ms at 4 connections; /api/v1/scenarios ≥ 10,000 req/s at 64; RSS < 200 MB.
import { execSync } from 'node:child_process';
import path from 'node:path';
import { openTestDb, PACK_FILE } from '../test/helpers/seed.ts';
import { seedRealistic } from '../test/helpers/seed-realistic.ts';
import { ensureWrk, loadAverage, rssMb, startServer, stopServer, wrkRunner } from './wrk.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

async function main(): Promise<void> {
  ensureWrk();
  const t = await openTestDb();
  const started = Date.now();
  const seeded = seedRealistic(t.sqlite, t.pack.pack, { now: new Date(), days: 365, perDay: 274 });
  const counts = t.sqlite
    .prepare(
      'SELECT (SELECT COUNT(*) FROM articles) a, (SELECT COUNT(*) FROM tags) t, (SELECT COUNT(*) FROM snapshots) s, (SELECT COUNT(*) FROM evidence_contributions) e',
    )
    .get();
  console.log(
    `seeded in ${((Date.now() - started) / 1000).toFixed(1)} s: ${JSON.stringify(counts)} (articles ${seeded.articles})`,
  );
  // A bulk load leaves a large WAL behind; checkpoint it as a running server's autocheckpoint would have.
  t.sqlite.pragma('wal_checkpoint(TRUNCATE)');
  const file = path.join(t.dir, 'test.db');
  const wrk = wrkRunner(t.dir, SECONDS);
  const { child, url } = await startServer(file, PACK_FILE);
  try {
    for (const p of ['/', '/api/v1/scenarios']) await (await fetch(url + p)).text();
    console.log(`RSS after start: ${rssMb(child.pid!).toFixed(0)} MB`);
    // Warm-up (JIT, SQLite page cache) so the figures describe the steady state, not the first seconds.
    for (const p of ['/', '/api/v1/scenarios']) wrk(`${url}${p}`, 8);
    const ms = (us: number) => (us / 1000).toFixed(2);
    const ov = wrk(`${url}/`, 4);
    console.log(
      `overview /, 4 connections: p50 ${ms(ov.p50)} ms, p95 ${ms(ov.p95)} ms, p99 ${ms(ov.p99)} ms, ${ov.rps.toFixed(0)} req/s, ${ov.errors} errors  [target p95 < 5, p99 < 20] ${ov.p95 < 5000 && ov.p99 < 20000 ? 'PASS' : 'FAIL'}`,
    );
    const api = wrk(`${url}/api/v1/scenarios`, 64);
    console.log(
      `/api/v1/scenarios, 64 connections: ${api.rps.toFixed(0)} req/s, p50 ${ms(api.p50)} ms, p99 ${ms(api.p99)} ms, ${api.errors} errors  [target ≥ 10000 req/s] ${api.rps >= 10_000 ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `RSS after the targeted load: ${rssMb(child.pid!).toFixed(0)} MB  [target < 200] ${rssMb(child.pid!) < 200 ? 'PASS' : 'FAIL'}`,
    );
    for (const p of ['/scenarios/collapse', '/evidence', '/indicators', '/api/v1/evidence?limit=20']) {
      const r = wrk(`${url}${p}`, 4);
      console.log(
        `${p}, 4 connections: p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, p99 ${ms(r.p99)} ms, ${r.rps.toFixed(0)} req/s (no target)`,
      );
    }
    const rss = rssMb(child.pid!);
    console.log(`load average: ${loadAverage()} (2 cores; other work on the box inflates the tails)`);
    // curl, not fetch: undici would reuse the warm-up's keep-alive socket, which the server closed long ago.
    const metrics = execSync(`curl -s ${url}/metrics`, { encoding: 'utf8' });
    const gaugeMb = (name: string) =>
      (Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0) / 1048576).toFixed(0);
    console.log(
      `RSS after also loading the uncached pages: ${rss.toFixed(0)} MB (V8 heap used ${gaugeMb('nodejs_heap_used_bytes')} MB of ${gaugeMb('nodejs_heap_total_bytes')} MB reserved)`,
    );
  } finally {
    await stopServer(child);
    await t.close();
  }
}

await main();
