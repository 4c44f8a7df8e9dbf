// `bellwether retag`: marks every stored article stale and tags it again with the packs' current rules and models:
// every question's (PACKS), each pack's tags its own, or the one --question names; then rebuilds their histories.
import type { Command } from 'commander';
import { openRuntime } from '../../pipeline/runtime.ts';
import { markHistoryStale, recomputeHistory } from '../../scenarios/forecast.ts';
import { markAllStale, tagPendingPacks } from '../../tagging/index.ts';
import { progressBar } from '../progress.ts';
import { pickQuestion, type QuestionOptions, questionOptions, runtimeOptions } from '../question-option.ts';

export function registerRetag(program: Command): void {
  questionOptions(
    program
      .command('retag')
      .description(
        "re-run tagging over every stored article (after a change to the pack's rules or a new model); progress on stderr",
      ),
    'every question',
  ).action(async (opts: QuestionOptions) => {
    const rt = await openRuntime(runtimeOptions(opts));
    try {
      const packs = opts.question === undefined ? rt.packs : [pickQuestion(rt.packs, opts.question)];
      // New tags mean a new history from the first stored article. Record that first, so a retag killed
      // part-way is finished by the next `start` (the old history stays whole until the new one is swapped in).
      const first = await rt.db
        .selectFrom('articles')
        .select((eb) => eb.fn.min('published_at').as('at'))
        .executeTakeFirst();
      if (first?.at) for (const p of packs) await markHistoryStale(rt.db, p.pack.id, first.at);
      await markAllStale(rt.db);
      const bar = progressBar('tagging');
      const started = Date.now();
      // Tagged together, each pack by its own rules: a question's tags are replaced by its own, never another's.
      const result = await tagPendingPacks(rt.db, packs, rt.now(), (done, total) => bar.update(done, total));
      bar.finish();
      const seconds = (Date.now() - started) / 1000;
      const which = packs
        .map((p) => `pack ${p.pack.id}, rules ${p.rulesHash}${p.modelFile ? `, model ${p.modelFile}` : ''}`)
        .join('; ');
      process.stdout.write(
        `retagged ${result.articles} articles: ${result.tags} tags (${which}) in ${seconds.toFixed(1)} s\n`,
      );
      if (!first?.at) return;
      for (const p of packs) {
        const recomputed = await recomputeHistory(rt.db, p, { from: new Date(first.at), to: rt.now(), stepHours: 24 });
        const whose = packs.length > 1 ? ` of ${p.pack.id}` : '';
        process.stdout.write(`recomputed the forecast history${whose}: ${recomputed.snapshots} snapshots\n`);
      }
    } finally {
      await rt.close();
    }
  });
}
