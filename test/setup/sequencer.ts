// Test file order: the files that take longest start first, so the run does not end on one long file left
// alone on an otherwise idle machine (on a fresh clone Vitest has no timings and orders by file size, and its
// cache keeps one timing per file for both databases: fault-multi, skipped on SQLite, came last on
// PostgreSQL and ran its two minutes alone). LONGEST is measured (docs/development.md, "The test suite");
// every other file keeps Vitest's order (cached duration, else size).
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Longest first, from the suite's own timings (two workers of three busy for 40 s or more). */
export const LONGEST = [
  'test/fault-multi.test.ts', // PostgreSQL only: five processes for two minutes, by design (issue 14)
  'test/crash-start.test.ts',
  'test/ingest-crash.test.ts',
  'test/server-a11y-browser.test.ts',
  'test/start-metrics.test.ts', // waits for the 15 s outbox job
  'test/ingest-cli.test.ts',
  'test/many-runs.test.ts',
  'test/concurrency.test.ts',
  'test/server-chart-browser.test.ts',
  'test/server-xss.test.ts',
  'test/start-signals.test.ts',
  'test/crash-retag.test.ts',
  'test/crash-ingest.test.ts',
  'test/ingest-pipeline.test.ts',
  'test/backtest-cli.test.ts',
];

export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (f: TestSpecification) => {
      const i = LONGEST.indexOf(path.relative(f.project.config.root, f.moduleId).split(path.sep).join('/'));
      return i === -1 ? LONGEST.length : i;
    };
    // Array.prototype.sort is stable: the files outside the list keep Vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
