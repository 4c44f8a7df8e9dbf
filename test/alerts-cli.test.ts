// The subscribers and alerts CLI verbs, run in-process through runCli against a temp database
// (SQLite file or PostgreSQL schema) and a real SMTP server on 127.0.0.1.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkDeadlineAlerts } from '../src/alerts/record.ts';
import { runCli } from '../src/cli.ts';
import { openDatabase } from '../src/db/connect.ts';
import { loadPack } from '../src/pack/load.ts';
import { PACK_FILE } from './helpers/alerts-env.ts';
import { type TestSmtp, startSmtp } from './helpers/alerts-smtp.ts';
import { createTestDatabase, type TestDatabase } from './helpers/test-database.ts';

let dir: string;
let database: TestDatabase;
let smtp: TestSmtp;
let out: string;
let err: string;
const saved = { ...process.env };

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bw-alerts-cli-'));
  database = await createTestDatabase(dir, 'cli.db');
  smtp = await startSmtp();
  out = '';
  err = '';
  process.env.LOG_LEVEL = 'error';
  // vitest sets BASE_URL=/ (Vite's base); the tracker reads BASE_URL as its public URL.
  process.env.BASE_URL = 'http://localhost:8080';
  delete process.env.SMTP_URL;
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
});
afterEach(async () => {
  vi.restoreAllMocks();
  process.env = { ...saved };
  process.exitCode = undefined;
  await smtp.close();
  await database.drop();
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli([...args, '--db', database.url, '--pack', PACK_FILE]);

describe('bellwether subscribers', () => {
  it('add, list, update, remove; bad input is rejected plainly', async () => {
    expect(
      await cli(
        'subscribers',
        'add',
        'Reader@Example.org',
        '--rules',
        '{"kinds":["probability_move"],"min_points":15}',
      ),
    ).toBe(0);
    expect(out).toMatch(
      /added reader@example\.org\nunsubscribe link: http:\/\/localhost:8080\/unsubscribe\/[A-Za-z0-9_-]{32}\n/,
    );
    expect(await cli('subscribers', 'add', 'ops@example.org', '--digest', 'daily', '--admin')).toBe(0);
    out = '';
    expect(await cli('subscribers', 'list')).toBe(0);
    expect(out).toBe(
      'ops@example.org\tdigest, admin, active\nreader@example.org\timmediate, active, rules {"kinds":["probability_move"],"min_points":15}\n',
    );
    // --json: one document; the unsubscribe token (a credential) is not in it.
    out = '';
    expect(await cli('subscribers', 'list', '--json')).toBe(0);
    expect(out.endsWith('\n') && out.indexOf('\n') === out.length - 1).toBe(true);
    expect(JSON.parse(out)).toEqual({
      subscribers: [
        {
          email: 'ops@example.org',
          digest: 'daily',
          admin: true,
          rules: null,
          createdAt: expect.any(String),
          unsubscribedAt: null,
        },
        {
          email: 'reader@example.org',
          digest: null,
          admin: false,
          rules: { kinds: ['probability_move'], min_points: 15 },
          createdAt: expect.any(String),
          unsubscribedAt: null,
        },
      ],
    });
    expect(out).not.toMatch(/token/);
    expect(await cli('subscribers', 'add', 'nobody')).toBe(2);
    expect(err).toContain('not an email address: "nobody"');
    expect(await cli('subscribers', 'add', 'x@example.org', '--rules', '{"kinds":["everything"]}')).toBe(2);
    expect(err).toContain('--rules: kinds.0');
    expect(await cli('subscribers', 'add', 'x@example.org', '--digest', 'weekly')).toBe(2);
    expect(await cli('subscribers', 'remove', 'ops@example.org')).toBe(0);
    expect(await cli('subscribers', 'remove', 'ops@example.org')).toBe(2);
    out = '';
    await cli('subscribers', 'list');
    expect(out).not.toContain('ops@example.org');
  });
});

describe('bellwether alerts', () => {
  it('test --to sends through SMTP_URL; an SMTP refusal is reported plainly with exit 1', async () => {
    process.env.SMTP_URL = smtp.url;
    expect(await cli('alerts', 'test', '--to', 'me@example.org')).toBe(0);
    expect(out).toContain('test email sent to me@example.org');
    expect(smtp.received[0]!.subject).toMatch(/^Bellwether test email/);
    smtp.script = [550];
    expect(await cli('alerts', 'test', '--to', 'me@example.org')).toBe(1);
    expect(err).toMatch(/test email to me@example\.org failed \(permanent, SMTP 550\): .*mailbox unavailable/);
  });
  it('test without SMTP_URL says email is off', async () => {
    expect(await cli('alerts', 'test', '--to', 'me@example.org')).toBe(2);
    expect(err).toContain('SMTP_URL is not set');
  });
  it('list shows recent alerts with their delivery state', async () => {
    expect(await cli('subscribers', 'add', 'r@example.org')).toBe(0);
    out = '';
    expect(await cli('alerts', 'list')).toBe(0);
    expect(out).toBe('no alerts yet\n');
    out = '';
    expect(await cli('alerts', 'list', '--json')).toBe(0);
    expect(out).toBe('{"alerts":[]}\n');
    // A deadline warning is time-based: recorded through the same code the alerts job runs.
    const h = openDatabase(database.target);
    await checkDeadlineAlerts(h.db, loadPack(PACK_FILE), new Date('2026-11-20T00:00:00.000Z'));
    await h.close();
    out = '';
    expect(await cli('alerts', 'list')).toBe(0);
    expect(out).toMatch(
      /^2026-11-20T00:00:00\.000Z {2}Deadline approaching +Deadline in 7 days: Deal by Thanksgiving \(2026-11-26\)\n {4}sent 0, pending 1, failed 0\n$/,
    );
    expect(out).not.toContain('deadline_approaching');
    out = '';
    expect(await cli('alerts', 'list', '--json')).toBe(0);
    expect(JSON.parse(out)).toEqual({
      alerts: [
        expect.objectContaining({
          kind: 'deadline_approaching',
          kindName: 'Deadline approaching',
          title: 'Deadline in 7 days: Deal by Thanksgiving (2026-11-26)',
          createdAt: '2026-11-20T00:00:00.000Z',
          delivery: { sent: 0, pending: 1, sending: 0, failed: 0, lastError: null },
        }),
      ],
    });
  });
});
