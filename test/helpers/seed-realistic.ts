// Seeds a realistic history: feeds, clustered articles with tags, daily snapshots with contributions, alerts.
import type SQLite from 'better-sqlite3';
import type { Pack } from '../../src/pack/schema.ts';
import { type Evidence, insertArticle, insertCluster, insertFeed, insertSnapshot, insertTag, prng } from './seed.ts';

const HEADLINES: Record<string, [string, string, string | null][]> = {
  principal_meeting: [
    [
      'Trump and Putin to meet in Budapest next week, Kremlin says',
      'Trump and Putin will meet in Budapest',
      'scheduled',
    ],
    ['White House cancels planned Trump–Putin summit', 'the summit was called off', 'cancelled'],
  ],
  envoy_talks: [
    ['Witkoff and Umerov hold talks in Geneva on revised plan', 'Witkoff and Umerov held talks in Geneva', 'held'],
    ['Abu Dhabi round of talks postponed', 'the talks in Abu Dhabi were postponed', 'cancelled'],
  ],
  sanctions_tightening: [
    ['EU adopts 20th sanctions package targeting shadow fleet', 'the EU adopted its 20th sanctions package', null],
  ],
  sanctions_relief: [
    ['US floats easing sanctions on Russian banks as part of deal', 'easing sanctions on Russian banks', 'proposed'],
  ],
  strike_volume: [
    ['Russia launches 653 drones and 51 missiles overnight', 'Russia launched 653 drones and 51 missiles', null],
  ],
  kremlin_rejection: [
    ['Peskov: the plan "does not address the root causes"', 'does not address the root causes', null],
  ],
  kremlin_openness: [['Kremlin calls Miami talks "productive"', 'the talks were productive', null]],
  ukraine_red_lines: [['Zelensky rules out ceding Donbas', 'Ukraine will not cede Donbas', null]],
  ukraine_flexibility: [
    ['Kyiv open to referendum on framework, officials say', 'open to a referendum on the framework', null],
  ],
  security_guarantees: [
    ['Coalition of the willing details reassurance force', 'a reassurance force of the coalition of the willing', null],
  ],
  territorial_terms: [['Draft proposes demilitarised zone in Donetsk', 'a demilitarised zone in Donetsk', 'proposed']],
  ceasefire_signal: [['Sides discuss energy strike moratorium', 'an energy strike moratorium', 'proposed']],
  battlefield_momentum: [['Russian forces claim capture of Huliaipole', 'claimed the capture of Huliaipole', null]],
  deadline_pressure: [['Trump sets Thanksgiving deadline for Kyiv', 'a Thanksgiving deadline', null]],
  draft_churn: [['New 20-point draft circulates after Geneva', 'a new 20-point draft', null]],
};

export interface SeedResult {
  feeds: number[];
  snapshots: number[];
  articles: number;
}

/**
 * `days` days of news up to `now`, `perDay` articles a day (about a third tagged), a snapshot each
 * day at noon UTC computed from the decayed evidence of the last 21 days, and an alert a week.
 */
export function seedRealistic(
  db: SQLite.Database,
  pack: Pack,
  opts: { now: Date; days: number; perDay: number; seed?: number; weightScale?: number },
): SeedResult {
  const rand = prng(opts.seed ?? 7);
  const day0 =
    Date.UTC(opts.now.getUTCFullYear(), opts.now.getUTCMonth(), opts.now.getUTCDate()) - (opts.days - 1) * 86_400_000;
  const indicators = pack.indicators.filter((i) => HEADLINES[i.id]);
  const result: SeedResult = { feeds: [], snapshots: [], articles: 0 };
  db.transaction(() => {
    const start = new Date(day0).toISOString();
    ['Reuters World', 'Kyiv Independent', 'Meduza', 'AP Europe', 'TASS (EN)'].forEach((name, i) =>
      result.feeds.push(
        insertFeed(db, {
          url: `https://feeds.example.org/${i}.xml`,
          name,
          tier: 1 + (i % 3),
          at: opts.now.toISOString(),
          failing: i === 4,
        }),
      ),
    );
    let evidence: Evidence[] = [];
    for (let d = 0; d < opts.days; d++) {
      const dayStart = day0 + d * 86_400_000;
      for (let k = 0; k < opts.perDay; k++) {
        const at = new Date(dayStart + Math.floor(rand() * 86_400_000));
        if (at.getTime() > opts.now.getTime()) continue;
        const iso = at.toISOString();
        const tagged = k % 3 === 0;
        const ind = indicators[Math.floor(rand() * indicators.length)]!;
        const [title, snippet, modality] = tagged
          ? HEADLINES[ind.id]![Math.floor(rand() * HEADLINES[ind.id]!.length)]!
          : [`Regional news roundup ${d}-${k}`, '', null];
        const sources = 1 + Math.floor(rand() * 6);
        const cluster = tagged ? insertCluster(db, title, iso, sources) : null;
        const id = insertArticle(db, {
          feedId: result.feeds[k % 4]!,
          clusterId: cluster,
          title,
          summary: `${title}. Reporting from our correspondents.`,
          url: `https://news.example.org/${d}/${k}`,
          publishedAt: iso,
        });
        result.articles += 1;
        if (!tagged) continue;
        const negated = rand() < 0.15;
        const drones = Math.round(80 + rand() * 120 + (d % 29 === 0 ? 500 : 0));
        const numbers =
          ind.kind === 'level'
            ? [
                { value: drones, unit: 'drones' },
                { value: Math.round(rand() * 20), unit: 'missiles' },
              ]
            : null;
        insertTag(db, {
          articleId: id,
          packId: pack.id,
          indicatorId: ind.id,
          polarity: negated ? 'negated' : 'affirmed',
          modality,
          snippet: numbers ? `Russia launched ${drones} drones overnight` : snippet,
          numbers,
          at: iso,
        });
        if (ind.kind !== 'level')
          evidence.push({
            articleId: id,
            clusterId: cluster,
            indicator: ind,
            polarity: negated ? 'negated' : 'affirmed',
            modality,
            at: at.getTime(),
            weight: Math.min(1, 0.5 + 0.1 * sources) * (opts.weightScale ?? 0.08),
          });
      }
      const snapAt = Math.min(dayStart + 12 * 3_600_000, opts.now.getTime());
      evidence = evidence.filter((e) => e.at > snapAt - 21 * 86_400_000);
      const id = insertSnapshot(
        db,
        pack,
        new Date(snapAt),
        evidence.filter((e) => e.at <= snapAt),
      );
      result.snapshots.push(id);
      if (d % 7 === 3) {
        db.prepare(
          'INSERT INTO alerts (pack_id, kind, rule_key, title, body, data, snapshot_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          pack.id,
          'indicator_shift',
          `envoy_talks:${d}`,
          'Envoy talks resumed after a quiet week',
          'Witkoff and Umerov held talks in Geneva.\n\nThe indicator had been quiet for 8 days.',
          JSON.stringify({ indicator: 'envoy_talks' }),
          id,
          new Date(snapAt).toISOString(),
        );
      }
    }
    void start;
  })();
  return result;
}
