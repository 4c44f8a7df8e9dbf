// Before `npm test`: install the dependencies when node_modules is missing (a fresh clone: `npm ci`) or
// stale (package-lock.json is newer than node_modules/.package-lock.json, npm's record of what it
// installed: `npm install`), saying so in one line. Either also builds dist/ (the prepare script).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

/** What the tree needs: nothing, `npm ci` (no node_modules) or `npm install` (older than the lock). */
export function installNeeded(root) {
  const modules = path.join(root, 'node_modules');
  if (!existsSync(modules)) return { command: 'ci', why: 'node_modules is missing' };
  const record = path.join(modules, '.package-lock.json');
  if (!existsSync(record)) return { command: 'install', why: 'node_modules has no record of an install' };
  const lock = path.join(root, 'package-lock.json');
  if (existsSync(lock) && statSync(lock).mtimeMs > statSync(record).mtimeMs)
    return { command: 'install', why: 'package-lock.json is newer than node_modules' };
  return null;
}

/** Installs when needed; exits with npm's status when npm fails. */
export function ensureInstalled(root, out = process.stdout) {
  const need = installNeeded(root);
  if (!need) return null;
  out.write(`npm test: ${need.why}: running \`npm ${need.command}\` first\n`);
  const r = spawnSync('npm', [need.command, '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write(`npm test: \`npm ${need.command}\` failed (exit ${r.status ?? r.signal})\n`);
    process.exit(r.status ?? 1);
  }
  return need.command;
}

if (import.meta.url === `file://${process.argv[1]}`) ensureInstalled(process.cwd());
