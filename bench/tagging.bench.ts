// Benchmark: tagText throughput with the default pack on 10,000 synthetic ~1 KB articles (en/ru/uk). Prints figures.
import path from 'node:path';
import { loadPack } from '../src/scenarios/pack/load.ts';
import { compileIndicators } from '../src/tagging/compile.ts';
import { type TagInput, tagText } from '../src/tagging/tag-text.ts';
import { isRegexTerm, termSource } from '../src/tagging/terms.ts';

const POOLS: Record<string, { neutral: string[]; near: string[]; signal: string[] }> = {
  en: {
    neutral: [
      'Markets in Europe opened higher on Tuesday as investors weighed new inflation figures.',
      'The city council approved a plan to expand bus lanes in the centre by next spring.',
      'Heavy rain is expected across the region over the weekend, forecasters said.',
      'The company reported a rise in quarterly profit and raised its outlook for the year.',
      'Officials said the repairs to the bridge would take several more weeks to complete.',
    ],
    near: [
      'Trump criticised Putin in a post on social media, saying he was disappointed with him.',
      'The Kremlin said Russia remained committed to its goals in Ukraine.',
      'Zelensky thanked European partners for their support during a visit to Kyiv.',
      'The EU discussed its budget for next year, including funds for Ukraine.',
    ],
    signal: [
      'Trump said he would meet Putin in Budapest within two weeks to discuss the peace plan.',
      'Russia launched 653 drones and 51 missiles overnight, the Ukrainian air force said.',
      'Witkoff and Kushner held talks with Umerov in Miami on the revised 20-point plan.',
      'The Kremlin said no meeting between Putin and Trump is planned for now.',
      'The US imposed new sanctions on Rosneft and Lukoil to pressure Moscow.',
    ],
  },
  ru: {
    neutral: [
      'В Москве на выходных ожидается мокрый снег и гололедица, сообщили синоптики.',
      'Центральный банк сохранил ключевую ставку на прежнем уровне.',
      'В регионе открылась новая школа на тысячу учеников.',
      'Цены на овощи выросли на несколько процентов за месяц.',
    ],
    near: [
      'Путин провел совещание с членами правительства по экономическим вопросам.',
      'Песков прокомментировал заявления западных политиков об Украине.',
      'Трамп заявил журналистам, что недоволен ходом событий.',
    ],
    signal: [
      'Песков заявил, что встреча Путина и Трампа пока не планируется.',
      'За ночь Россия выпустила более 600 беспилотников и 40 ракет.',
      'Уиткофф и Дмитриев провели переговоры в Майами.',
    ],
  },
  uk: {
    neutral: [
      'У Львові відкрили новий парк для відпочинку мешканців міста.',
      'Синоптики прогнозують похолодання та дощі в більшості областей.',
      'Уряд ухвалив рішення про підвищення мінімальної пенсії.',
    ],
    near: [
      'Зеленський провів нараду з командуванням щодо ситуації на фронті.',
      'Трамп знову висловився про війну в Україні.',
    ],
    signal: [
      'Зеленський заявив, що Україна не віддасть Донбас.',
      'Росія атакувала Україну: 653 дронів і 51 ракету, повідомили Повітряні сили.',
      'Делегація Умєрова провела перемови з американцями в Женеві.',
    ],
  },
};

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function makeArticles(n: number): TagInput[] {
  const rand = rng(42);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const langs = ['en', 'en', 'en', 'en', 'ru', 'ru', 'uk'];
  const out: TagInput[] = [];
  for (let i = 0; i < n; i += 1) {
    const language = pick(langs);
    const pool = POOLS[language]!;
    const signal = rand() < 0.25;
    const title = signal ? pick(pool.signal) : pick(rand() < 0.5 ? pool.near : pool.neutral);
    const summary = pick(pool.near);
    const parts: string[] = [];
    let len = 0;
    while (len < 1000) {
      const r = rand();
      const s = r < 0.06 ? pick(pool.signal) : r < 0.35 ? pick(pool.near) : pick(pool.neutral);
      parts.push(s);
      len += s.length + 1;
    }
    // join() builds a flat string (no "+=" ropes to flatten inside the timed loop).
    out.push({ title, summary, text: parts.join(' '), language });
  }
  return out;
}

const defaultPack = loadPack(path.resolve('packs/ukraine-peace.yaml'));
const defaultRules = defaultPack.pack.indicators.reduce((a, i) => a + i.rules.length, 0);
const packUsed = defaultRules > 0 && !process.env.BENCH_FIXTURE ? defaultPack : loadPack(path.resolve('test/fixtures/tagging-matcher/pack.yaml'));
const rules = packUsed.pack.indicators.reduce((a, i) => a + i.rules.length, 0);
const compileStart = performance.now();
const compiled = compileIndicators(packUsed.pack.indicators);
const compileMs = performance.now() - compileStart;
const articles = makeArticles(10_000);
const bytes = articles.reduce((a, d) => a + Buffer.byteLength(d.title + d.summary + d.text), 0);

// Warm-up pass so the JIT and regex compilation are out of the measurement.
for (const a of articles.slice(0, 2000)) tagText(compiled, a);
function longestWord(term: string): string {
  return term
    .toLowerCase()
    .split(' ')
    .map((w) => w.replace(/\*$/, ''))
    .reduce((a, b) => (b.length > a.length ? b : a), '');
}

/**
 * The yardstick from TOOLCHAIN.md, measured in the same run (the machine is shared): a plain
 * loop of 100 of the pack's term regexes over the lower-cased article, each behind an
 * includes() of its literal.
 */
const reference = [...new Set(packUsed.pack.indicators.flatMap((i) => i.rules.flatMap((r) => [...(r.all ?? []).flat(), ...(r.any ?? [])])))]
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
let tags = 0;
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
}
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
    `wall clock: ${Math.round(articles.length / (walls[2]! / 1000))} articles/s (median ${walls[2]!.toFixed(0)} ms; differs from CPU time when other processes share the cores)`,
  ].join('\n') + '\n',
);
