// Benchmark: tagText throughput with the default pack on 10,000 synthetic ~1 KB articles (en/ru/uk). Prints figures.
import path from 'node:path';
import { loadPack } from '../src/pack/load.ts';
import { compileIndicators } from '../src/tagging/compile.ts';
import { tagText } from '../src/tagging/tag-text.ts';
import { makeArticles } from './tagging-articles.ts';
import { isRegexTerm, termSource } from '../src/tagging/terms.ts';
import { loadModel } from '../src/tagging/tag-pending.ts';
import { splitByDate } from '../src/tagging/labelled.ts';
import { loadLabelled } from '../src/pipeline/labelled-files.ts';
import { parseModel } from '../src/tagging/model/tag-model.ts';
import { modelText, trainTagModel } from '../src/tagging/model/train.ts';

const defaultPack = loadPack(path.resolve('packs/ukraine-peace.yaml'));
const defaultRules = defaultPack.pack.indicators.reduce((a, i) => a + i.rules.length, 0);
const packUsed =
  defaultRules > 0 && !process.env.BENCH_FIXTURE
    ? defaultPack
    : loadPack(path.resolve('test/fixtures/tagging-matcher/pack.yaml'));
const rules = packUsed.pack.indicators.reduce((a, i) => a + i.rules.length, 0);
const compileStart = performance.now();
const compiled = compileIndicators(packUsed.pack.indicators);
const compileMs = performance.now() - compileStart;
const articles = makeArticles(10_000);
const bytes = articles.reduce((a, d) => a + Buffer.byteLength(d.title + d.summary + d.text), 0);

/**
 * Rules plus the learned model: BENCH_MODEL=FILE, else the pack's own model when it names one, else one trained here on
 * the training split of the project's labelled fixtures (a model's cost depends on its size and
 * the text, not on how good it is).
 */
const modelStart = performance.now();
const modelFile = process.env.BENCH_MODEL ?? packUsed.modelFile ?? null;
const withModel = modelFile
  ? compileIndicators(
      packUsed.pack.indicators,
      loadModel(
        modelFile,
        packUsed.pack.indicators.map((i) => i.id),
      ),
    )
  : compileIndicators(
      packUsed.pack.indicators,
      parseModel(
        modelText(
          trainTagModel({
            packId: packUsed.pack.id,
            indicatorIds: packUsed.pack.indicators.map((i) => i.id),
            rules: compiled,
            items: splitByDate(loadLabelled(['test/fixtures/tagging']).items, '2026-03-01').train.filter((i) =>
              i.indicators.every((id) => packUsed.pack.indicators.some((ind) => ind.id === id)),
            ),
          }),
        ),
        'bench model',
        packUsed.pack.indicators.map((i) => i.id),
      ),
    );
const modelMs = performance.now() - modelStart;
const modelInfo = withModel.model!.model;

// Warm-up pass so the JIT and regex compilation are out of the measurement.
for (const a of articles.slice(0, 2000)) tagText(compiled, a);
for (const a of articles.slice(0, 2000)) tagText(withModel, a);
function longestWord(term: string): string {
  return term
    .toLowerCase()
    .split(' ')
    .map((w) => w.replace(/\*$/, ''))
    .reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * The yardstick, measured in the same run (the machine is shared): a plain
 * loop of 100 of the pack's term regexes over the lower-cased article, each behind an
 * includes() of its literal.
 */
const reference = [
  ...new Set(
    packUsed.pack.indicators.flatMap((i) => i.rules.flatMap((r) => [...(r.all ?? []).flat(), ...(r.any ?? [])])),
  ),
]
  .filter((t) => !isRegexTerm(t))
  .slice(0, 100)
  .map((t) => ({ needle: longestWord(t), re: new RegExp(termSource(t)) }));
const lowered = articles.map((a) => `${a.title}\n${a.summary}\n${a.text}`.toLowerCase());
function referencePass(): number {
  let hits = 0;
  for (const text of lowered) for (const r of reference) if (text.includes(r.needle) && r.re.test(text)) hits += 1;
  return hits;
}
referencePass();

// CPU time of this process, not wall time: on a shared 2-core machine other work steals the core.
const runs: number[] = [];
const walls: number[] = [];
const refRuns: number[] = [];
const modelRuns: number[] = [];
let tags = 0;
let modelTags = 0;
for (let run = 0; run < 5; run += 1) {
  tags = 0;
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  for (const a of articles) tags += tagText(compiled, a).length;
  const c = process.cpuUsage(c0);
  runs.push((c.user + c.system) / 1000);
  walls.push(performance.now() - w0);
  const r0 = process.cpuUsage();
  referencePass();
  const r = process.cpuUsage(r0);
  refRuns.push((r.user + r.system) / 1000);
  modelTags = 0;
  const m0 = process.cpuUsage();
  for (const a of articles) modelTags += tagText(withModel, a).length;
  const m = process.cpuUsage(m0);
  modelRuns.push((m.user + m.system) / 1000);
}
modelRuns.sort((a, b) => a - b);
refRuns.sort((a, b) => a - b);
runs.sort((a, b) => a - b);
walls.sort((a, b) => a - b);
const median = runs[2]!;
process.stdout.write(
  [
    `pack: ${packUsed.file} (${packUsed.pack.indicators.length} indicators, ${rules} rules; compiled in ${compileMs.toFixed(1)} ms)`,
    `articles: ${articles.length} (${(bytes / articles.length / 1024).toFixed(2)} KB average, en/ru/uk 4:2:1, ~25% with a signal in the title)`,
    `tags per pass: ${tags}`,
    `tagText: ${Math.round(articles.length / (median / 1000))} articles/s per core of CPU time (median of 5 passes: ${median.toFixed(0)} ms CPU; best ${runs[0]!.toFixed(0)}, worst ${runs[4]!.toFixed(0)}) — target ≥ 15,000`,
    `reference (${reference.length} regexes behind includes(), same articles, same run): ${Math.round(articles.length / (refRuns[2]! / 1000))} articles/s of CPU time — tagText runs at ${(refRuns[2]! / median).toFixed(2)}× its speed`,
    `model: ${modelFile ?? `trained here on ${modelInfo.file.training.items} fixture items in ${(modelMs / 1000).toFixed(1)} s`} (${modelInfo.file.vocab.length} features, ${modelInfo.thresholds.filter((t) => t !== null).length} of ${modelInfo.ids.length} indicators on)`,
    `rules + model: ${Math.round(articles.length / (modelRuns[2]! / 1000))} articles/s per core of CPU time (median of 5 passes: ${modelRuns[2]!.toFixed(0)} ms; ${modelTags} tags per pass) — target ≥ 10,000; the bare regex loop above, same run: ${Math.round(articles.length / (refRuns[2]! / 1000))}/s`,
    `wall clock: ${Math.round(articles.length / (walls[2]! / 1000))} articles/s (median ${walls[2]!.toFixed(0)} ms; differs from CPU time when other processes share the cores)`,
  ].join('\n') + '\n',
);
