// Helpers for the crash suite (test/crash-*.test.ts): the real CLI in a child process, killed with
// SIGKILL at a random moment; integrity checks; a dated corpus built relative to the clock.
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { expect } from 'vitest';
import type { CorpusItem } from '../../src/pipeline/replay.ts';

const root = path.resolve(import.meta.dirname, '../..');

/** Kills per operation: 4 in `npm test`, 20+ with `npm run test:soak` (BELLWETHER_CRASH_KILLS). */
export const KILLS = Math.max(1, Number(process.env.BELLWETHER_CRASH_KILLS ?? 4));

export interface CliChild {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed by a signal) and the signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

/** `node bin/bellwether.js ARGS` with the test environment (no BASE_URL from vitest, quiet logs). */
export function cli(args: string[], env: Record<string, string> = {}): CliChild {
  const child = spawn(process.execPath, ['bin/bellwether.js', ...args], {
    cwd: root,
    env: {
      ...process.env,
      LOG_LEVEL: 'error',
      BASE_URL: 'http://127.0.0.1:8080',
      ALLOW_PRIVATE_FEEDS: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, exited, stdout: () => out, stderr: () => err };
}

/** When the work being tested has begun (after the CLI's start-up): a line printed, a request served, ... */
export type Marker = (c: CliChild) => boolean;

async function waitForMarker(c: CliChild, marker: Marker): Promise<boolean> {
  for (;;) {
    if (marker(c)) return true;
    if (c.child.exitCode !== null || c.child.signalCode !== null) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Runs the command to the end and expects success; returns the ms from the marker to the exit. */
export async function runToEnd(args: string[], env: Record<string, string>, marker: Marker): Promise<number> {
  const c = cli(args, env);
  await waitForMarker(c, marker);
  const started = Date.now();
  const { code } = await c.exited;
  expect(code, `${args.join(' ')} failed: ${c.stderr()}`).toBe(0);
  expect(c.stderr()).not.toMatch(/SQLITE_BUSY|database is locked|SqliteError/);
  return Date.now() - started;
}

/**
 * Once the marker shows the work has begun, kills the child with SIGKILL after a random delay up to
 * `maxMs`; true when it was still running then (the kill landed mid-work).
 */
export async function killAtRandom(c: CliChild, marker: Marker, maxMs: number): Promise<boolean> {
  await waitForMarker(c, marker);
  const delay = Math.random() * maxMs;
  const finished = await Promise.race([
    c.exited.then(() => true),
    new Promise<false>((r) => setTimeout(() => r(false), delay)),
  ]);
  if (finished) {
    expect(c.stderr()).not.toMatch(/SQLITE_BUSY|database is locked|SqliteError/);
    return false;
  }
  c.child.kill('SIGKILL');
  await c.exited;
  return true;
}

/** Runs a long-lived child (start) until `done()` holds, then stops it with SIGTERM. */
export async function runUntil(c: CliChild, done: () => boolean | Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (c.child.exitCode !== null) throw new Error(`child exited early: ${c.stderr()}`);
    if (Date.now() > end) {
      c.child.kill('SIGKILL');
      throw new Error(`timed out; child stderr: ${c.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  c.child.kill('SIGTERM');
  await c.exited;
}

/** `pragma integrity_check` on the file (after the child is gone) is "ok". */
export function expectIntegrity(file: string): void {
  const raw = new Database(file);
  try {
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.pragma('foreign_key_check')).toEqual([]);
  } finally {
    raw.close();
  }
}

export function query<T>(file: string, sql: string, ...params: unknown[]): T[] {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.prepare(sql).all(...params) as T[];
  } finally {
    raw.close();
  }
}

const TOPICS = [
  'Trump and Putin to meet at a summit in Budapest',
  'Kyiv and Moscow agree a ceasefire along the front line',
  'Trump and Putin summit cancelled after strikes',
  'Talks on a truce resume in Istanbul',
  'Markets steady as grain exports continue',
  'Parliament debates the budget',
];

/**
 * `n` dated items over the `days` before `now` (so the test means the same on any day), with some
 * titles repeated across sources (the same story from several outlets).
 */
export function corpus(n: number, days: number, now = Date.now()): CorpusItem[] {
  const DAY = 86_400_000;
  return Array.from({ length: n }, (_, i) => ({
    id: `item-${i}`,
    date: new Date(now - days * DAY + Math.floor((i * days * DAY) / n)).toISOString(),
    title: `${TOPICS[i % TOPICS.length]} (${Math.floor(i / 3)})`,
    summary: i % 4 === 0 ? 'Officials said a ceasefire could follow.' : 'No further details.',
    source: `outlet-${i % 5}`,
    language: 'en',
  }));
}

export function writeCorpus(dir: string, items: CorpusItem[]): string {
  const file = path.join(dir, 'corpus.jsonl');
  writeFileSync(file, items.map((it) => JSON.stringify(it)).join('\n') + '\n');
  return file;
}
