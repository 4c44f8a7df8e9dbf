// `bellwether replay`: runs a dated corpus through the real tagger and the engine, day by day.
import type { Command } from 'commander';
import { openRuntime } from '../../pipeline/runtime.ts';
import { readCorpus } from '../../pipeline/corpus.ts';
import { replayCorpus } from '../../pipeline/replay.ts';
import { CliError } from '../errors.ts';
import { printJson } from '../json-output.ts';
import { progressBar } from '../progress.ts';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'replay a dated corpus (labelled JSONL, or a folder of RSS/Atom files) through tagging and the engine, building the snapshot history',
    )
    .requiredOption('--pack <file>', 'pack file')
    .requiredOption('--corpus <path>', 'a .jsonl file or a folder of feed files')
    .option('--db <url>', 'database (default: DATABASE_URL); use a fresh one per experiment')
    .option(
      '--json',
      'print one JSON document {"articles","skipped","tags","days","snapshots","seconds"} (progress stays on stderr)',
    )
    .action(async (opts: { pack: string; corpus: string; db?: string; json?: boolean }) => {
      const items = await readCorpus(opts.corpus).catch((error: Error) => {
        throw new CliError(error.message);
      });
      const rt = await openRuntime({ packFile: opts.pack, databaseUrl: opts.db });
      try {
        const bar = progressBar('replaying');
        const started = Date.now();
        const result = await replayCorpus({
          db: rt.db,
          loadedPack: rt.pack,
          items,
          onProgress: (p) => bar.update(p.dayIndex + 1, p.days),
        });
        bar.finish();
        const seconds = (Date.now() - started) / 1000;
        if (opts.json) return printJson({ ...result, seconds });
        process.stdout.write(
          `replayed ${result.articles} articles (${result.skipped} already stored) over ${result.days} days: ${result.tags} tags, ${result.snapshots} snapshots in ${seconds.toFixed(1)} s\n`,
        );
        process.stdout.write(
          `next: bellwether score --pack ${opts.pack}${opts.db ? ` --db ${opts.db}` : ''} (after resolving scenarios with bellwether resolve)\n`,
        );
      } finally {
        await rt.close();
      }
    });
}
