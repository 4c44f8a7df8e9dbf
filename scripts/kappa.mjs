#!/usr/bin/env node
// Agreement between two labellers: Cohen's kappa per indicator (is the indicator on the item or not) and
// polarity agreement where both put it on. Usage: node scripts/kappa.mjs RELABEL.jsonl LABELLED.jsonl...
// The first file holds the second labeller's items (id, labels); the others the original labelled corpus.
import { readFileSync } from 'node:fs';

const [relabelFile, ...originals] = process.argv.slice(2);
if (!relabelFile || originals.length === 0) {
  process.stderr.write('usage: node scripts/kappa.mjs RELABEL.jsonl LABELLED.jsonl...\n');
  process.exit(2);
}
const readJsonl = (f) =>
  readFileSync(f, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      try {
        return JSON.parse(l);
      } catch (e) {
        throw new Error(`${f}: line ${i + 1}: not JSON (${e.message})`, { cause: e });
      }
    });
const original = new Map(originals.flatMap(readJsonl).map((it) => [it.id, it]));
const pairs = readJsonl(relabelFile).map((b) => {
  const a = original.get(b.id);
  if (!a) throw new Error(`${relabelFile}: id ${b.id} is not in the labelled corpus`);
  return [a, b];
});
const indicators = [...new Set(pairs.flatMap(([a, b]) => [...a.labels, ...b.labels].map((l) => l.indicator)))].sort();
const has = (it, id) => it.labels.some((l) => l.indicator === id);
const polarities = (it, id) => new Set(it.labels.filter((l) => l.indicator === id).map((l) => l.polarity));
const kappa = (n11, n10, n01, n00) => {
  const n = n11 + n10 + n01 + n00;
  const po = (n11 + n00) / n;
  const pe = ((n11 + n10) * (n11 + n01) + (n01 + n00) * (n10 + n00)) / (n * n);
  return pe === 1 ? 1 : (po - pe) / (1 - pe);
};
const rows = indicators.map((id) => {
  let n11 = 0,
    n10 = 0,
    n01 = 0,
    n00 = 0,
    polAgree = 0;
  for (const [a, b] of pairs) {
    const x = has(a, id),
      y = has(b, id);
    if (x && y) {
      n11++;
      const pa = polarities(a, id),
        pb = polarities(b, id);
      if (pa.size === pb.size && [...pa].every((p) => pb.has(p))) polAgree++;
    } else if (x) n10++;
    else if (y) n01++;
    else n00++;
  }
  return {
    indicator: id,
    kappa: kappa(n11, n10, n01, n00),
    both: n11,
    onlyFirst: n10,
    onlySecond: n01,
    polarityAgreement: n11 ? polAgree / n11 : null,
  };
});
const emptyAgree = pairs.filter(([a, b]) => (a.labels.length === 0) === (b.labels.length === 0)).length;
if (process.argv.includes('--json'))
  process.stdout.write(JSON.stringify({ items: pairs.length, rows }, null, 2) + '\n');
else {
  process.stdout.write(
    `${pairs.length} items relabelled; agreement on "no signal at all": ${emptyAgree}/${pairs.length}\n\n`,
  );
  process.stdout.write(
    '| indicator | kappa | both | original only | relabel only | polarity agreement |\n| --- | --- | --- | --- | --- | --- |\n',
  );
  for (const r of rows)
    process.stdout.write(
      `| ${r.indicator} | ${r.kappa.toFixed(2)} | ${r.both} | ${r.onlyFirst} | ${r.onlySecond} | ${r.polarityAgreement === null ? '—' : r.polarityAgreement.toFixed(2)} |\n`,
    );
}
