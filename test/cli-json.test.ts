// One JSON convention across the command line (src/cli/json-output.ts): every verb's --json prints exactly
// one JSON object on one line of stdout. Here: `pack validate --json`, and the registry-wide check that
// each --json option says so in its help.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Command, type Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { verbs } from '../src/cli/commands/index.ts';

const root = path.resolve(import.meta.dirname, '..');
const cli = (args: string[]) =>
  spawnSync(process.execPath, ['bin/bellwether.js', ...args], { cwd: root, encoding: 'utf8' });

function allCommands(c: Command): Command[] {
  return [c, ...c.commands.flatMap(allCommands)];
}

describe('--json', () => {
  it('pack validate: one document with every file, its errors and warnings; exit 1 when any failed', () => {
    const r = cli([
      'pack',
      'validate',
      '--json',
      'test/fixtures/packs/minimal.yaml',
      'test/fixtures/packs/broken.yaml',
    ]);
    expect(r.status).toBe(1);
    expect(r.stdout.split('\n')).toEqual([expect.any(String), '']);
    const doc = JSON.parse(r.stdout) as { ok: boolean; packs: Array<Record<string, unknown>> };
    expect(doc.ok).toBe(false);
    expect(doc.packs).toEqual([
      {
        file: 'test/fixtures/packs/minimal.yaml',
        ok: true,
        errors: [],
        warnings: expect.any(Array),
        counts: { scenarios: expect.any(Number), indicators: 2, feeds: 0 },
      },
      {
        file: 'test/fixtures/packs/broken.yaml',
        ok: false,
        errors: [{ path: 'indicators[0].likelihoods.deal', message: 'must be a positive number (got -2)' }],
        warnings: [],
        counts: null,
      },
    ]);
    const ok = cli(['pack', 'validate', '--json', 'test/fixtures/packs/minimal.yaml']);
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as { ok: boolean }).ok).toBe(true);
  });

  it('every verb that prints data offers --json, described as one JSON document', async () => {
    const withJson: string[] = [];
    for (const verb of verbs) {
      const program = new Command();
      (await verb.load())(program);
      for (const c of allCommands(program.commands[0]!)) {
        const json = c.options.find((o: Option) => o.long === '--json');
        if (!json) continue;
        withJson.push(c.parent && c.parent !== program ? `${c.parent.name()} ${c.name()}` : c.name());
        expect(json.description, c.name()).toMatch(/one JSON (document|object)/);
      }
    }
    expect(withJson.sort()).toEqual(
      [
        'alerts list',
        'backtest',
        'backup',
        'db backup',
        'db copy',
        'eval tags',
        'explain',
        'feeds list',
        'ingest',
        'pack validate',
        'replay',
        'score',
        'status',
        'subscribers list',
      ].sort(),
    );
  });
});
