// `bellwether pack validate FILE…`: reports every problem in a pack at once; exit 1 if any.
import path from 'node:path';
import type { Command } from 'commander';
import { PackError, formatProblem, loadPack } from '../../pack/load.ts';
import { allDatesPast } from '../../scenarios/question-state.ts';
import { TagModelError } from '../../tagging/model/tag-model.ts';
import { loadModel } from '../../tagging/tag-pending.ts';

export function validatePackFiles(files: string[], out: (line: string) => void, now: Date = new Date()): number {
  let failed = 0;
  for (const file of files) {
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
          failed += 1;
          out(`${loaded.file}: model: ${error.message}`);
          continue;
        }
      }
      for (const w of loaded.warnings) out(`warning: ${formatProblem(loaded.file, w)}`);
      if (allDatesPast(loaded.pack, now)) {
        out(
          `warning: ${formatProblem(loaded.file, { path: 'horizon', message: `every deadline and the horizon (${loaded.pack.horizon}) lie in the past: this question can only be replayed and scored, not tracked live` })}`,
        );
      }
      out(
        `${loaded.file}: ok (${loaded.pack.scenarios.length} scenarios, ${loaded.pack.indicators.length} indicators, ${loaded.pack.feeds.length} feeds)`,
      );
    } catch (error) {
      if (!(error instanceof PackError)) throw error;
      failed += 1;
      for (const p of error.problems) out(formatProblem(error.file, p));
    }
  }
  return failed === 0 ? 0 : 1;
}

export function registerPack(program: Command): void {
  const pack = program.command('pack').description('work with scenario packs');
  pack
    .command('validate')
    .description('check pack files; prints FILE: path.to.field: problem for each error')
    .argument('<files...>', 'pack YAML files')
    .action((files: string[]) => {
      process.exitCode = validatePackFiles(files, (l) => process.stdout.write(`${l}\n`));
    });
}
