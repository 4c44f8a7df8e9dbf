// The registry of CLI verbs: adding a verb is one file in this folder and one line here. A verb's module
// (and everything it imports: the database, the engine, the server) is loaded only when that verb runs;
// `bellwether --help` lists every verb from this table alone.
import type { Command } from 'commander';

export interface Verb {
  name: string;
  /** The one line `bellwether --help` shows; a test checks it equals the module's own description. */
  summary: string;
  load: () => Promise<(program: Command) => void>;
}

export const verbs: Verb[] = [
  {
    name: 'start',
    summary: 'migrate, load the pack, schedule feed polling and serve the dashboard',
    load: async () => (await import('./start.ts')).registerStart,
  },
  {
    name: 'migrate',
    summary: 'apply pending database migrations (also done by start)',
    load: async () => (await import('./migrate.ts')).registerMigrate,
  },
  { name: 'pack', summary: 'work with scenario packs', load: async () => (await import('./pack.ts')).registerPack },
  {
    name: 'alerts',
    summary: 'email alerts: send a test, list recent alerts',
    load: async () => (await import('./alerts.ts')).registerAlerts,
  },
  {
    name: 'backtest',
    summary:
      'replay every resolved question of the history library through the engine and score it (Brier, log score) against the priors, uniform and the market, leave-one-question-out',
    load: async () => (await import('./backtest.ts')).registerBacktest,
  },
  {
    name: 'backup',
    summary:
      'write a consistent copy of the SQLite database to FILE while the tracker runs (the same as `bellwether db backup`)',
    load: async () => (await import('./backup.ts')).registerBackup,
  },
  {
    name: 'db',
    summary: 'move and keep the data: copy a tracker between databases (SQLite ⇄ PostgreSQL), back up SQLite',
    load: async () => (await import('./db.ts')).registerDb,
  },
  {
    name: 'demo',
    summary:
      'offline demo: serve the bundled Nov 2025 – Jan 2026 corpus from 127.0.0.1, run the real pipeline day by day, then serve the dashboard',
    load: async () => (await import('./demo.ts')).registerDemo,
  },
  {
    name: 'eval',
    summary: 'measure parts of the pipeline against labelled data',
    load: async () => (await import('./eval.ts')).registerEval,
  },
  {
    name: 'explain',
    summary: 'the stories for and against a scenario in the snapshot in force at a time (default now)',
    load: async () => (await import('./explain.ts')).registerExplain,
  },
  {
    name: 'feeds',
    summary: 'manage the feeds Bellwether polls (add, remove, list with health, OPML import/export)',
    load: async () => (await import('./feeds.ts')).registerFeeds,
  },
  {
    name: 'ingest',
    summary: 'poll feeds: --once runs every due feed (or --all) once and prints a summary per feed',
    load: async () => (await import('./ingest.ts')).registerIngest,
  },
  {
    name: 'replay',
    summary:
      'replay a dated corpus (labelled JSONL, or a folder of RSS/Atom files) through tagging and the engine, building the snapshot history',
    load: async () => (await import('./replay.ts')).registerReplay,
  },
  {
    name: 'resolve',
    summary: 'record that a scenario resolved yes or no (yes → probability 1, no → 0 from that time on)',
    load: async () => (await import('./resolve.ts')).registerResolve,
  },
  {
    name: 'retag',
    summary:
      "re-run tagging over every stored article (after a change to the pack's rules or a new model); progress on stderr",
    load: async () => (await import('./retag.ts')).registerRetag,
  },
  {
    name: 'score',
    summary: 'score the daily forecasts against the resolutions (Brier, log score, baselines, calibration)',
    load: async () => (await import('./score.ts')).registerScore,
  },
  {
    name: 'status',
    summary: 'print the probabilities at a time (default now) and what moved them in the preceding 24 hours',
    load: async () => (await import('./status.ts')).registerStatus,
  },
  {
    name: 'subscribers',
    summary: 'manage alert subscribers (email and webhooks)',
    load: async () => (await import('./subscribers.ts')).registerSubscribers,
  },
  { name: 'train', summary: 'train learned components', load: async () => (await import('./train.ts')).registerTrain },
];
