// Synthetic news articles for the tagging benchmark and the matcher's equivalence test: neutral, near-miss and signal sentences in en/ru/uk.
import type { TagInput } from '../src/tagging/tag-text.ts';

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

/** `n` articles of ~1.5 KB (title, summary, text), en/ru/uk 4:2:1, about a quarter with a signal in the title; the same for the same `seed`. */
export function makeArticles(n: number, seed = 42): TagInput[] {
  const rand = rng(seed);
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
