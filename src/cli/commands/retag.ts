// `bellwether retag`: marks every stored article stale and tags it again with the pack's current rules and model.
import type { Command } from 'commander';
import { openRuntime } from '../../pipeline/runtime.ts';
import { markHistoryStale, recomputeHistory } from '../../scenarios/forecast.ts';
import { markAllStale, tagPending } from '../../tagging/index.ts';
import { progressBar } from '../progress.ts';

export function registerRetag(program: Command): void {
  program
    .command('retag')
    .description(
      "re-run tagging over every stored article (after a change to the pack's rules or a new model); progress on stderr",
    )
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--db <url>', 'database (default: DATABASE_URL)')
    .action(async (opts: { pack?: string; db?: string }) => {
      const rt = await openRuntime({ packFile: opts.pack, databaseUrl: opts.db });
      try {
        // New tags mean a new history from the first stored article. Record that first, so a retag killed
        // part-way is finished by the next `start` (the old history stays whole until the new one is swapped in).
        const first = await rt.db
          .selectFrom('articles')
          .select((eb) => eb.fn.min('published_at').as('at'))
          .executeTakeFirst();
        if (first?.at) await markHistoryStale(rt.db, rt.pack.pack.id, first.at);
        await markAllStale(rt.db);
        const bar = progressBar('tagging');
        const started = Date.now();
        const result = await tagPending(rt.db, rt.pack, rt.now(), (done, total) => bar.update(done, total));
        bar.finish();
        const seconds = (Date.now() - started) / 1000;
        process.stdout.write(
          `retagged ${result.articles} articles: ${result.tags} tags (pack ${rt.pack.pack.id}, rules ${rt.pack.rulesHash}${rt.pack.modelFile ? `, model ${rt.pack.modelFile}` : ''}) in ${seconds.toFixed(1)} s\n`,
        );
        if (first?.at) {
          const recomputed = await recomputeHistory(rt.db, rt.pack, {
            from: new Date(first.at),
            to: rt.now(),
            stepHours: 24,
          });
          process.stdout.write(`recomputed the forecast history: ${recomputed.snapshots} snapshots\n`);
        }
      } finally {
        await rt.close();
      }
    });
}
