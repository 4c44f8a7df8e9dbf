// The built command line: bin/bellwether.js runs dist/ (built fresh by test/global-setup.ts), `--help` loads
// no verb's code, and each verb's one-line summary in the registry is the verb's own description.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { verbs } from '../src/cli/commands/index.ts';
import { tempDir } from './helpers/temp-dir.ts';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');

/** Every file dist/cli.js loads before any verb runs: its static imports, followed through the chunks. */
function staticGraph(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const text = readFileSync(path.join(dist, file), 'utf8');
  for (const m of text.matchAll(/^(?:import|export)\s[^;]*?from\s*"([^"]+)"|^import\s*"([^"]+)"/gms)) {
    const spec = m[1] ?? m[2]!;
    if (spec.startsWith('./')) staticGraph(spec.slice(2), seen);
    else seen.add(spec);
  }
  return seen;
}

describe('the built CLI', () => {
  it('answers --help from dist/ with every verb listed', () => {
    const r = spawnSync(process.execPath, ['bin/bellwether.js', '--help'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    for (const v of verbs) expect(r.stdout).toMatch(new RegExp(`^  ${v.name} `, 'm'));
  });

  it('loads no verb, database, server or engine code at start (verbs are loaded when used)', () => {
    const loaded = [...staticGraph('cli.js')];
    expect(loaded).toContain('commander');
    for (const heavy of ['kysely', 'better-sqlite3', 'hono', 'zod', 'pino', 'prom-client', 'rss-parser', 'yaml'])
      expect(loaded).not.toContain(heavy);
    // Each verb is its own chunk, reached only through a dynamic import; so is the database-busy
    // translator, which only a failing command loads.
    const cli = readFileSync(path.join(dist, 'cli.js'), 'utf8');
    expect(cli.match(/import\("\.\/[^"]+\.js"\)/g)?.length).toBe(verbs.length + 1);
  });

  it('says in one line how to build when dist/ is missing', () => {
    const dir = tempDir();
    mkdirSync(path.join(dir, 'bin'));
    copyFileSync(path.join(root, 'bin/bellwether.js'), path.join(dir, 'bin/bellwether.js'));
    const r = spawnSync(process.execPath, [path.join(dir, 'bin/bellwether.js'), '--help'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      'bellwether: not built yet: run `npm run build` (npm install does it) in the project folder\n',
    );
  });

  it("keeps each verb's summary equal to the description its module gives it", async () => {
    for (const verb of verbs) {
      const program = new Command();
      (await verb.load())(program);
      const cmd = program.commands.find((c) => c.name() === verb.name);
      expect(cmd?.description(), verb.name).toBe(verb.summary);
    }
  });
});
