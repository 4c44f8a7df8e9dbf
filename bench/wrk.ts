// Benchmark helpers (not a benchmark itself): wrk with a report script, and the real app served in a child process.
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

const LUA = `done = function(s, l, r)
  local e = s.errors.connect + s.errors.read + s.errors.write + s.errors.timeout + s.errors.status
  io.write(string.format("WRK {\\"p50\\":%d,\\"p95\\":%d,\\"p99\\":%d,\\"rps\\":%.1f,\\"requests\\":%d,\\"errors\\":%d}\\n", l:percentile(50), l:percentile(95), l:percentile(99), s.requests / (s.duration / 1e6), s.requests, e))
end`;

export interface WrkResult {
  /** Latencies in microseconds. */
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  requests: number;
  errors: number;
}

export function ensureWrk(): void {
  if (existsSync('/usr/bin/wrk')) return;
  try {
    execSync('apt-get update && apt-get install -y wrk', { stdio: 'pipe' });
  } catch (e) {
    throw new Error(`wrk is missing and "apt-get install -y wrk" failed: ${(e as Error).message}`, { cause: e });
  }
}

/** Writes wrk's report script into `dir` and returns a runner. At 4 connections one wrk thread leaves the second core to the server. */
export function wrkRunner(dir: string, seconds: number): (url: string, connections: number) => WrkResult {
  const script = path.join(dir, 'report.lua');
  writeFileSync(script, LUA);
  return (url, connections) => {
    const out = execSync(`wrk -t${connections <= 4 ? 1 : 2} -c${connections} -d${seconds}s -s ${script} ${url}`, {
      encoding: 'utf8',
    });
    const line = out.split('\n').find((l) => l.startsWith('WRK '));
    if (!line) throw new Error(`unexpected wrk output:\n${out}`);
    return JSON.parse(line.slice(4)) as WrkResult;
  };
}

export const rssMb = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

export const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

/** The real app over `databaseUrl` (a SQLite file or a postgres:// URL) in a child process (bench/server-serve.ts). */
export async function startServer(
  databaseUrl: string,
  packFile: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', path.resolve(import.meta.dirname, 'server-serve.ts'), databaseUrl, packFile],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  return { child, url: `http://127.0.0.1:${(JSON.parse(first) as { port: number }).port}` };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
