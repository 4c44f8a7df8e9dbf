// Colour only on a terminal, never under NO_COLOR: the real CLI run under a pseudo-terminal (util-linux's
// `script`) and through pipes. `bellwether status` on a new database logs its migrations, then prints.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');
const ESC = '\u001b[';

function status(env: Record<string, string>, onTerminal: boolean): { out: string; err: string } {
  const db = path.join(tempDir(), 'bw.db');
  const vars = {
    PATH: process.env.PATH ?? '',
    LOG_LEVEL: 'info',
    PACK: 'test/fixtures/packs/minimal.yaml',
    DATABASE_URL: db,
    ...env,
  };
  if (onTerminal) {
    // `script` gives the command a terminal for stdin, stdout and stderr, and copies both to its stdout.
    const cmd = `${process.execPath} bin/bellwether.js status`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], { cwd: root, env: vars, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return { out: r.stdout, err: '' };
  }
  const r = spawnSync(process.execPath, ['bin/bellwether.js', 'status'], { cwd: root, env: vars, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return { out: r.stdout, err: r.stderr };
}

describe('colour', () => {
  it('on a terminal, the log is readable and coloured', () => {
    const { out } = status({}, true);
    expect(out).toMatch(/INFO.*applied migrations/);
    expect(out).toContain(ESC);
  });

  it('on a terminal with NO_COLOR set, the log is readable without a colour code', () => {
    const { out } = status({ NO_COLOR: '1' }, true);
    expect(out).toMatch(/INFO: applied migrations/);
    expect(out).not.toContain(ESC);
  });

  it('through pipes, the log is JSON lines and neither stream holds a colour code', () => {
    const { out, err } = status({}, false);
    const lines = err.trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { level: string }).level)).toContain('info');
    expect(out).toMatch(/deal\s+0\.0 %/);
    expect(out + err).not.toContain(ESC);
  });
});
