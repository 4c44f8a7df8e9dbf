// Two questions in one instance (PACKS), as every multi-question test sets them up: the minimal pack (the
// default) and a "border" pack with its own id, title and rules, one local feed on 127.0.0.1 whose two stories
// move both, and a real `start` on a test database (SQLite or PostgreSQL) that has tagged and forecast both.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startTracker, type Tracker } from '../../src/main.ts';
import type { FeedServer } from './feed-server.ts';
import { startLocalWire, waitFor } from './local-wire.ts';
import { writeMinimalPack } from './packs.ts';
import { tempDir } from './temp-dir.ts';
import { createTestDatabase, type TestDatabase } from './test-database.ts';

export interface QuestionSummary {
  id: string;
  isDefault: boolean;
  closed: boolean;
  asOf: string | null;
  scenarios: { id: string; probability: number | null }[];
  links: { page: string; scenarios: string };
}

export interface TwoQuestions {
  dir: string;
  /** The default question's pack file (id `minimal`). */
  first: string;
  /** The second question's pack file (id `border`: a truce is its only signal). */
  second: string;
  feeds: FeedServer;
  database: TestDatabase;
  tracker: Tracker;
  /** A request to the tracker (`path` from the root). */
  get(p: string, init?: RequestInit): Promise<Response>;
  /** Stops the tracker (once), leaving the database for commands to read. */
  stop(): Promise<void>;
  close(): Promise<void>;
}

/** Writes the two packs into `dir` (the first polls `feedUrl`); returns their files. */
export function writeTwoQuestionPacks(dir: string, feedUrl: string): { first: string; second: string } {
  const first = writeMinimalPack(dir, {
    feedsYaml: `feeds:\n  - { url: "${feedUrl}", name: Local wire, tier: 1, language: en }`,
  });
  // The second question: its own id, title and rules (a truce is its only signal), no feed of its own.
  mkdirSync(path.join(dir, 'second'));
  const second = path.join(dir, 'second', 'border.yaml');
  writeFileSync(
    second,
    readFileSync(writeMinimalPack(path.join(dir, 'second')), 'utf8')
      .replace('id: minimal', 'id: border')
      .replace('title: Minimal test pack', 'title: Border war truce')
      .replace('rules:\n      - { id: pm-en, all: [[trump, putin], [meet*, summit]] }', 'rules: []')
      .replace('name: Ceasefire steps', 'name: Truce talk'),
  );
  return { first, second };
}

/**
 * Starts a tracker on both questions and waits until each has moved off its priors (both packs' priors are
 * deal 0.2, frozen 0.3, collapse 0.5: the truce moves collapse down in both). `env` is added to its environment;
 * `prepare(dir)` runs before it starts (to write files it names).
 */
export async function startTwoQuestions(
  options: { env?: Record<string, string>; prepare?: (dir: string) => Record<string, string> } = {},
): Promise<TwoQuestions> {
  const feeds = await startLocalWire([
    'Trump and Putin to meet at a summit in Budapest next week',
    'Mediators announce a truce in the border war',
  ]);
  const dir = tempDir();
  const { first, second } = writeTwoQuestionPacks(dir, feeds.url('/rss.xml'));
  const database = await createTestDatabase(dir, 'bw.db');
  const tracker = await startTracker({
    handleSignals: false,
    env: {
      DATABASE_URL: database.url,
      PACKS: `${first},${second}`,
      PORT: '0',
      HOST: '127.0.0.1',
      ALLOW_PRIVATE_FEEDS: '1',
      LOG_LEVEL: 'silent',
      ...options.prepare?.(dir),
      ...options.env,
    },
  });
  const get = (p: string, init?: RequestInit) => fetch(`${tracker.url}${p}`, init);
  await waitFor(async () => {
    const { questions } = (await (await get('/api/v1/questions')).json()) as { questions: QuestionSummary[] };
    const moved = (q: QuestionSummary) =>
      Math.abs((q.scenarios.find((s) => s.id === 'collapse')?.probability ?? 0.5) - 0.5) > 0.01;
    return questions.length === 2 && questions.every((q) => q.asOf !== null && moved(q)) ? questions : null;
  }, 30_000);
  let stopped: Promise<void> | null = null;
  const stop = () => (stopped ??= tracker.stop());
  return {
    dir,
    first,
    second,
    feeds,
    database,
    tracker,
    get,
    stop,
    async close() {
      await stop();
      await feeds.close();
      await database.drop();
    },
  };
}
