import path from 'node:path';
import { loadPack } from '../src/pack/load.ts';
import { compileIndicators } from '../src/tagging/compile.ts';
import { loadLabelled, splitByDate } from '../src/tagging/labelled.ts';
import { trainTagModel, DEFAULT_TRAIN_OPTIONS } from '../src/tagging/model/train.ts';
const loaded = loadPack(path.resolve('packs/ukraine-peace.yaml'));
const ids = loaded.pack.indicators.map((i) => i.id);
const { items } = loadLabelled(['test/fixtures/tagging']);
const { train } = splitByDate(items, '2026-03-01');
const rules = compileIndicators(loaded.pack.indicators);
const grid = JSON.parse(process.argv[2]!);
for (const g of grid) {
  const t0 = performance.now();
  const m = trainTagModel({ packId: 'x', indicatorIds: ids, rules, items: train }, { ...DEFAULT_TRAIN_OPTIONS, ...g });
  const f = ids.map((id) => m.models[id]!.cv.modelF1);
  console.log(JSON.stringify(g), train.length, 'meanModelF1', (f.reduce((a, b) => a + b, 0) / f.length).toFixed(3), 'vocab', m.vocab.length, ((performance.now() - t0) / 1000).toFixed(1) + 's');
}
