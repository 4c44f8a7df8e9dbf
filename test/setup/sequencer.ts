// Test file order: the files that take longest start first, so the run does not end on one long file left
// alone on an otherwise idle machine (on a fresh clone Vitest has no timings and orders by file size, and its
// cache keeps one timing per file for both databases: fault-multi, skipped on SQLite, came last on
// PostgreSQL and ran its two minutes alone). Every other file keeps Vitest's order (cached duration, else size).
import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * Started first, in this order. Only files whose length is fixed waiting, not CPU: starting several CPU-heavy
 * files (the browser and crash tests) together raised the load past 100 on two cores and timed tests out.
 */
export const LONGEST = [
  'test/fault-multi.test.ts', // PostgreSQL only: five processes for two minutes, by design (issue 14)
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
