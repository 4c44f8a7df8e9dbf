// The production install the Dockerfile runs (scripts/install-production.sh), run here in a clean folder:
// `npm ci --omit=dev` from the built tree, start, /readyz through the container's healthcheck, SIGTERM.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');
const app = path.join(tempDir(), 'app');
let install: ReturnType<typeof spawnSync>;

function bellwether(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [path.join(app, 'bin/bellwether.js'), ...args], {
    cwd: app,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
}

describe('scripts/install-production.sh', () => {
  beforeAll(() => {
    install = spawnSync('scripts/install-production.sh', ['--check', app], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, PACK: path.join(root, 'test/fixtures/packs/minimal.yaml') },
      timeout: 280_000,
    });
  }, 300_000);

  it('installs without dev dependencies, starts, answers /readyz and stops cleanly', () => {
    expect(install.stderr).toBe('');
    expect(install.status).toBe(0);
    expect(install.stdout).toMatch(/started at http:\/\/127\.0\.0\.1:\d+, \/readyz answered 200, stopped cleanly\n$/);
    for (const dev of ['tsx', 'esbuild', 'vitest', 'smtp-server', 'typescript'])
      expect(existsSync(path.join(app, 'node_modules', dev)), dev).toBe(false);
    for (const runtime of ['better-sqlite3', 'hono', 'pino', 'prom-client'])
      expect(existsSync(path.join(app, 'node_modules', runtime)), runtime).toBe(true);
  });

  it('runs the built CLI there (no TypeScript, no src/)', () => {
    expect(existsSync(path.join(app, 'src'))).toBe(false);
    const r = bellwether(['pack', 'validate', 'packs/ukraine-peace.yaml']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/packs\/ukraine-peace\.yaml: ok/);
  });

  it('says in one line that the demo needs the development dependencies', () => {
    const r = bellwether(['demo', '--no-serve', '--db', path.join(tempDir(), 'demo.db')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      "bellwether demo: the demo's local SMTP sink needs the development dependency smtp-server, which is not installed here (a production install): run `npm install` in a clone to try the demo\n",
    );
  });
});
