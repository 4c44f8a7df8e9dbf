// Scale benchmark data (not a benchmark itself): a year of synthetic news written straight into a migrated
// SQLite file with prepared statements in large transactions (the HTTP poller would take hours for a
// million items), and a bulk copy of that file into PostgreSQL (one `insert … select from unnest(…)` per
// 5,000 rows), so both backends hold the very same rows.
import type SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Pack } from '../src/pack/schema.ts';
import { ORDER } from '../test/helpers/copy-rows.ts';
import { type Evidence, insertSnapshot, prng } from '../test/helpers/seed.ts';

export interface ScaleSize {
  articles: number;
  feeds: number;
  subscribers: number;
}

export interface ScaleCounts extends ScaleSize {
  clusters: number;
  tags: number;
  snapshots: number;
}

const DAY = 86_400_000;
const WORDS = ['talks', 'ceasefire', 'envoy', 'summit', 'sanctions', 'drones', 'frontline', 'draft', 'Kremlin', 'Kyiv'];
const MODALITIES = [null, null, null, 'scheduled', 'cancelled', 'held', 'proposed'] as const;

/**
 * `size.articles` articles spread evenly over the 365 days up to `now` (a third tagged with one of the
 * pack's indicators, three articles to a story cluster on average), `size.feeds` feeds (none due, so a
 * poll touches only the feeds a benchmark adds), `size.subscribers` email subscribers, a snapshot each
 * day at noon with its 40 largest contributions, and an alert a week. Deterministic for a given size.
 */
export function seedScale(db: SQLite.Database, pack: Pack, rulesHash: string, size: ScaleSize, now: Date): ScaleCounts {
  const rand = prng(11);
  const iso = now.toISOString();
  const notDue = new Date(now.getTime() + 30 * DAY).toISOString();
  const day0 = now.getTime() - 365 * DAY;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const counts: ScaleCounts = { ...size, clusters: 0, tags: 0, snapshots: 0 };

  db.transaction(() => {
    const feed = db.prepare(
      `INSERT INTO feeds (url, name, tier, poll_interval_minutes, full_text, origin, status, last_checked_at, last_success_at,
       last_http_status, consecutive_failures, next_check_at, created_at) VALUES (?, ?, ?, 60, 0, 'cli', 'active', ?, ?, 200, 0, ?, ?)`,
    );
    for (let f = 0; f < size.feeds; f++)
      feed.run(`https://feed${f}.example.net/rss.xml`, `Feed ${f}`, 1 + (f % 5), iso, iso, notDue, iso);
    const sub = db.prepare('INSERT INTO subscribers (email, token, is_admin, created_at) VALUES (?, ?, 0, ?)');
    for (let s = 0; s < size.subscribers; s++) sub.run(`reader${s}@example.org`, hex(32), iso);
  })();

  const cluster = db.prepare(
    'INSERT INTO story_clusters (id, title, simhash, first_seen_at, last_seen_at, source_count, best_tier) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const article = db.prepare(
    `INSERT INTO articles (id, feed_id, cluster_id, guid_hash, guid, url, canonical_url, content_hash, title, summary, text,
     language, published_at, fetched_at, updated_at, simhash, tagged_with) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '', 'en', ?, ?, ?, ?, ?)`,
  );
  const tag = db.prepare(
    `INSERT INTO tags (article_id, pack_id, indicator_id, polarity, modality, confidence, field, snippet, numbers, rule_id, created_at)
     VALUES (?, ?, ?, ?, ?, 0.9, 'title', ?, ?, 'seed', ?)`,
  );
  const alert = db.prepare(
    'INSERT INTO alerts (pack_id, kind, rule_key, title, body, data, snapshot_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const step = (365 * DAY) / size.articles;
  let evidence: Evidence[] = [];
  let nextSnapshot = day0 + DAY / 2;
  let clusterId = 0;
  let clusterLeft = 0;
  const CHUNK = 20_000;
  for (let start = 0; start < size.articles; start += CHUNK) {
    db.transaction(() => {
      for (let i = start; i < Math.min(size.articles, start + CHUNK); i++) {
        const t = Math.round(day0 + i * step);
        while (nextSnapshot <= t) {
          const at = new Date(nextSnapshot);
          evidence = evidence.filter((e) => e.at > nextSnapshot - 21 * DAY).slice(-300);
          const id = insertSnapshot(db, pack, at, evidence);
          counts.snapshots += 1;
          if (counts.snapshots % 7 === 3)
            alert.run(
              pack.id,
              'indicator_shift',
              `scale:${counts.snapshots}`,
              'Envoy talks resumed after a quiet week',
              'Witkoff and Umerov held talks in Geneva.',
              JSON.stringify({ indicator: pack.indicators[0]!.id }),
              id,
              at.toISOString(),
            );
          nextSnapshot += DAY;
        }
        const at = new Date(t).toISOString();
        const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length]!;
        const title = `${w(0)} ${w(1)} update ${i}: ${w(2)} and ${w(3)} in the news`;
        if (clusterLeft === 0) {
          clusterId += 1;
          clusterLeft = 1 + Math.floor(rand() * 5);
          cluster.run(clusterId, title, hex(16), at, at, clusterLeft, 1 + (i % 3));
        }
        clusterLeft -= 1;
        const feedId = 1 + ((i * 7919) % size.feeds);
        const url = `https://site${feedId}.example.net/news/${i}`;
        article.run(
          i + 1,
          feedId,
          clusterId,
          hex(16),
          `guid-${i}`,
          url,
          url,
          hex(16),
          title,
          `${title}. Our correspondents report on the ${w(4)} and the ${w(5)}, with reactions from officials.`,
          at,
          at,
          at,
          hex(16),
          rulesHash,
        );
        if (i % 3 !== 0) continue;
        const ind = pack.indicators[Math.floor(rand() * pack.indicators.length)]!;
        const negated = rand() < 0.15;
        const modality = ind.kind === 'level' ? null : MODALITIES[Math.floor(rand() * MODALITIES.length)]!;
        const numbers = ind.kind === 'level' ? [{ value: Math.round(80 + rand() * 200), unit: 'drones' }] : null;
        tag.run(
          i + 1,
          pack.id,
          ind.id,
          negated ? 'negated' : 'affirmed',
          modality,
          title,
          numbers ? JSON.stringify(numbers) : null,
          at,
        );
        counts.tags += 1;
        if (ind.kind !== 'level')
          evidence.push({
            articleId: i + 1,
            clusterId,
            indicator: ind,
            polarity: negated ? 'negated' : 'affirmed',
            modality,
            at: t,
            weight: 0.08,
          });
      }
    })();
  }
  counts.clusters = clusterId;
  return counts;
}

/** Tables in foreign-key order (parents first); `meta` holds what each migration wrote on both sides. */
const TABLES = ORDER.filter((t) => t !== 'meta');
const PG_ARRAY: Record<string, string> = {
  integer: 'int4[]',
  bigint: 'int8[]',
  text: 'text[]',
  'double precision': 'float8[]',
  real: 'float4[]',
};

/** Copies the seeded tables of `src` into the migrated, empty PostgreSQL database at `url`, ids kept. */
export async function copyToPostgres(src: SQLite.Database, url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const table of TABLES) {
      const { rows: cols } = await client.query<{ column_name: string; data_type: string }>(
        'select column_name, data_type from information_schema.columns where table_name = $1 order by ordinal_position',
        [table],
      );
      const names = cols.map((c) => c.column_name);
      const types = cols.map((c) => {
        const t = PG_ARRAY[c.data_type];
        if (!t) throw new Error(`copyToPostgres: no array type for ${table}.${c.column_name} (${c.data_type})`);
        return t;
      });
      const text = `insert into ${table} (${names.map((n) => `"${n}"`).join(', ')}) select * from unnest(${types
        .map((t, k) => `$${k + 1}::${t}`)
        .join(', ')})`;
      const columns: unknown[][] = names.map(() => []);
      const flush = async () => {
        if (columns[0]!.length === 0) return;
        await client.query(text, columns);
        for (const c of columns) c.length = 0;
      };
      const stmt = src.prepare(`SELECT ${names.map((n) => `"${n}"`).join(', ')} FROM "${table}"`).raw(true);
      for (const row of stmt.iterate() as Iterable<unknown[]>) {
        for (let k = 0; k < row.length; k++) columns[k]!.push(row[k]);
        if (columns[0]!.length >= 5000) await flush();
      }
      await flush();
      if (names.includes('id'))
        await client.query(
          `select setval(pg_get_serial_sequence('${table}', 'id'), coalesce((select max(id) from ${table}), 0) + 1, false)`,
        );
      await client.query(`analyze ${table}`);
    }
  } finally {
    await client.end();
  }
}
