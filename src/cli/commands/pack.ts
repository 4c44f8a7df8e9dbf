// `bellwether pack validate FILE…`: reports every problem in a pack at once; exit 1 if any.
import path from 'node:path';
import type { Command } from 'commander';
import { type PackProblem, PackError, formatProblem, loadPack } from '../../pack/load.ts';
import { allDatesPast } from '../../scenarios/question-state.ts';
import { printJson } from '../json-output.ts';
import { TagModelError } from '../../tagging/model/tag-model.ts';
import { loadModel } from '../../tagging/tag-pending.ts';

/** What `pack validate` found in one file (the --json document lists one per file). */
export interface PackCheck {
  file: string;
  ok: boolean;
  errors: PackProblem[];
  warnings: PackProblem[];
  counts: { scenarios: number; indicators: number; feeds: number } | null;
}

export function checkPackFile(file: string, now: Date): PackCheck {
  try {
    const loaded = loadPack(path.resolve(file));
    if (loaded.modelFile) {
      try {
        loadModel(
          loaded.modelFile,
          loaded.pack.indicators.map((i) => i.id),
        );
      } catch (error) {
        if (!(error instanceof TagModelError)) throw error;
        return {
          file: loaded.file,
          ok: false,
          errors: [{ path: 'model', message: error.message }],
          warnings: [],
          counts: null,
        };
      }
    }
    const warnings = [...loaded.warnings];
    if (allDatesPast(loaded.pack, now)) {
      warnings.push({
        path: 'horizon',
        message: `every deadline and the horizon (${loaded.pack.horizon}) lie in the past: this question can only be replayed and scored, not tracked live`,
      });
    }
    const { scenarios, indicators, feeds } = loaded.pack;
    return {
      file: loaded.file,
      ok: true,
      errors: [],
      warnings,
      counts: { scenarios: scenarios.length, indicators: indicators.length, feeds: feeds.length },
    };
  } catch (error) {
    if (!(error instanceof PackError)) throw error;
    return { file: error.file, ok: false, errors: error.problems, warnings: [], counts: null };
  }
}

export function validatePackFiles(files: string[], out: (line: string) => void, now: Date = new Date()): number {
  const checks = files.map((f) => checkPackFile(f, now));
  for (const c of checks) {
    for (const w of c.warnings) out(`warning: ${formatProblem(c.file, w)}`);
    for (const e of c.errors) out(formatProblem(c.file, e));
    if (c.counts)
      out(
        `${c.file}: ok (${c.counts.scenarios} scenarios, ${c.counts.indicators} indicators, ${c.counts.feeds} feeds)`,
      );
  }
  return checks.every((c) => c.ok) ? 0 : 1;
}

export function registerPack(program: Command): void {
  const pack = program.command('pack').description('work with scenario packs');
  pack
    .command('validate')
    .description('check pack files; prints FILE: path.to.field: problem for each error')
    .argument('<files...>', 'pack YAML files')
    .option('--json', 'print one JSON document {"ok","packs":[{"file","ok","errors","warnings","counts"}]}')
    .action((files: string[], opts: { json?: boolean }) => {
      if (opts.json) {
        const packs = files.map((f) => checkPackFile(f, new Date()));
        const ok = packs.every((c) => c.ok);
        printJson({ ok, packs });
        process.exitCode = ok ? 0 : 1;
        return;
      }
      process.exitCode = validatePackFiles(files, (l) => process.stdout.write(`${l}\n`));
    });
}
