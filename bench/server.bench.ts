// Server benchmark: 100,000 articles and a year of daily snapshots; wrk against the real app on 127.0.0.1.
// Targets: overview p95 < 5 ms and p99 < 20 ms at 4 connections; /api/v1/scenarios ≥ 10,000 req/s at 64; RSS < 200 MB.
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { openTestDb, PACK_FILE } from '../test/helpers/seed.ts';
import { seedRealistic } from '../test/helpers/seed-realistic.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const LUA = `done = function(s, l, r)
  local e = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout + s.errors.status
  io.write(string.format("WRK {\\"p50\\":%d,\\"p95\\":%d,\\"p99\\":%d,\\"rps\\":%.1f,\\"requests\\":%d,\\"errors\\":%d}\\n", l:percentile(50), l:percentile(95), l:percentile(99), s.requests / (s.duration / 1e6), s.requests, e))
end`;

function ensureWrk(): void {
  if (existsSync('/usr/bin/wrk')) return;
  try {
    execSync('apt-get update && apt-get install -y wrk', { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`wrk is missing and "apt-get install -y wrk" failed: ${(e as Error).message}`, { cause: e });
  }
}

/** At 4 connections one wrk thread is enough and leaves the second core to the server (2-core box). */
function wrk(
  url: string,
  connections: number,
  script: string,
): { p50: number; p95: number; p99: number; rps: number; requests: number; errors: number } {
  const out = execSync(`wrk -t${connections <= 4 ? 1 : 2} -c${connections} -d${SECONDS}s -s ${script} ${url}`, {
    encoding: 'utf8',
  });
  const line = out.split('\n').find((l) => l.startsWith('WRK '));
  if (!line) throw new Error(`unexpected wrk output:\n${out}`);
  return JSON.parse(line.slice(4));
}

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function startServer(file: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, 'server-serve.ts'), file, PACK_FILE],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}` };
}

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
  const script = path.join(t.dir, 'report.lua');
  writeFileSync(script, LUA);
  const { child, url } = await startServer(file);
  try {
    for (const p of ['/', '/api/v1/scenarios']) await (await fetch(url + p)).text();
    console.log(`RSS after start: ${rssMb(child.pid!).toFixed(0)} MB`);
    // Warm-up (JIT, SQLite page cache) so the figures describe the steady state, not the first seconds.
    for (const p of ['/', '/api/v1/scenarios']) wrk(`${url}${p}`, 8, script);
    const ms = (us: number) => (us / 1000).toFixed(2);
    const ov = wrk(`${url}/`, 4, script);
    console.log(
      `overview /, 4 connections: p50 ${ms(ov.p50)} ms, p95 ${ms(ov.p95)} ms, p99 ${ms(ov.p99)} ms, ${ov.rps.toFixed(0)} req/s, ${ov.errors} errors  [target p95 < 5, p99 < 20] ${ov.p95 < 5000 && ov.p99 < 20000 ? 'PASS' : 'FAIL'}`,
    );
    const api = wrk(`${url}/api/v1/scenarios`, 64, script);
    console.log(
      `/api/v1/scenarios, 64 connections: ${api.rps.toFixed(0)} req/s, p50 ${ms(api.p50)} ms, p99 ${ms(api.p99)} ms, ${api.errors} errors  [target ≥ 10000 req/s] ${api.rps >= 10_000 ? 'PASS' : 'FAIL'}`,
    );
    console.log(
      `RSS after the targeted load: ${rssMb(child.pid!).toFixed(0)} MB  [target < 200] ${rssMb(child.pid!) < 200 ? 'PASS' : 'FAIL'}`,
    );
    for (const p of ['/scenarios/collapse', '/evidence', '/indicators', '/api/v1/evidence?limit=20']) {
      const r = wrk(`${url}${p}`, 4, script);
      console.log(
        `${p}, 4 connections: p50 ${ms(r.p50)} ms, p95 ${ms(r.p95)} ms, p99 ${ms(r.p99)} ms, ${r.rps.toFixed(0)} req/s (no target)`,
      );
    }
    const rss = rssMb(child.pid!);
    console.log(
      `load average: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (2 cores; other work on the box inflates the tails)`,
    );
    // curl, not fetch: undici would reuse the warm-up's keep-alive socket, which the server closed long ago.
    const metrics = execSync(`curl -s ${url}/metrics`, { encoding: 'utf8' });
    const gaugeMb = (name: string) =>
      (Number(new RegExp(`^${name} (\\d+)`, 'm').exec(metrics)?.[1] ?? 0) / 1048576).toFixed(0);
    console.log(
      `RSS after also loading the uncached pages: ${rss.toFixed(0)} MB (V8 heap used ${gaugeMb('nodejs_heap_used_bytes')} MB of ${gaugeMb('nodejs_heap_total_bytes')} MB reserved)`,
    );
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await t.close();
  }
}

await main();
