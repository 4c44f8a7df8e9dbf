// `npm test` straight after a clone: scripts/test.mjs first runs scripts/ensure-installed.mjs, which installs
// when node_modules is missing (`npm ci`) or older than package-lock.json (`npm install`), with one line
// saying why. Tried on a copy: a small project whose one dependency is a local folder (no network).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');

function ensure(dir: string): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, ['scripts/ensure-installed.mjs'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout };
}

describe('npm test installs first when it must', () => {
  it('scripts/test.mjs ensures the install before any stage', () => {
    const text = readFileSync(path.join(root, 'scripts/test.mjs'), 'utf8');
    expect(text.indexOf('ensureInstalled(process.cwd());')).toBeGreaterThan(0);
    expect(text.indexOf('ensureInstalled(process.cwd());')).toBeLessThan(text.indexOf('const stages'));
  });

  it('runs npm ci without node_modules, npm install when the lock file is newer, and nothing otherwise', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'scripts'));
    copyFileSync(path.join(root, 'scripts/ensure-installed.mjs'), path.join(dir, 'scripts/ensure-installed.mjs'));
    mkdirSync(path.join(dir, 'tiny'));
    writeFileSync(path.join(dir, 'tiny/package.json'), JSON.stringify({ name: 'tiny', version: '1.0.0' }));
    writeFileSync(
      path.join(dir, 'package.json'),
      JSON.stringify({ name: 'copy', version: '1.0.0', private: true, dependencies: { tiny: 'file:./tiny' } }),
    );
    expect(spawnSync('npm', ['install', '--package-lock-only', '--no-audit', '--no-fund'], { cwd: dir }).status).toBe(
      0,
    );
    expect(existsSync(path.join(dir, 'node_modules'))).toBe(false); // a fresh clone

    const fresh = ensure(dir);
    expect(fresh.status).toBe(0);
    // (npm's own report follows the line.)
    expect(fresh.stdout).toMatch(/^npm test: node_modules is missing: running `npm ci` first\n/);
    expect(existsSync(path.join(dir, 'node_modules/tiny/package.json'))).toBe(true);

    expect(ensure(dir)).toEqual({ status: 0, stdout: '' });

    // A pull that changed the lock file: it is now newer than what npm installed.
    const future = new Date(Date.now() + 60_000);
    utimesSync(path.join(dir, 'package-lock.json'), future, future);
    const stale = ensure(dir);
    expect(stale.status).toBe(0);
    expect(stale.stdout).toMatch(
      /^npm test: package-lock.json is newer than node_modules: running `npm install` first\n/,
    );
    expect(ensure(dir)).toEqual({ status: 0, stdout: '' });

    rmSync(path.join(dir, 'node_modules/.package-lock.json'));
    expect(ensure(dir).stdout).toMatch(
      /^npm test: node_modules has no record of an install: running `npm install` first\n/,
    );
    expect(ensure(dir)).toEqual({ status: 0, stdout: '' });
  }, 120_000);
});
