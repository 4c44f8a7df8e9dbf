// Test packs whose dates are built relative to the clock, so a test means the same thing on any day.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * Writes test/fixtures/packs/minimal.yaml into `dir` with the deal deadline `deadlineDays` after `now`
 * and the horizon `horizonDays` after it (defaults: 30 and 120 days), plus any feeds given.
 */
export function writeMinimalPack(
  dir: string,
  options: { now?: Date; deadlineDays?: number; horizonDays?: number; feedsYaml?: string } = {},
): string {
  const now = (options.now ?? new Date()).getTime();
  const text = readFileSync(path.join(root, 'test/fixtures/packs/minimal.yaml'), 'utf8')
    .replace(/deadline: \d{4}-\d{2}-\d{2}/, `deadline: ${isoDay(now + (options.deadlineDays ?? 30) * DAY)}`)
    .replace(/horizon: \d{4}-\d{2}-\d{2}/, `horizon: ${isoDay(now + (options.horizonDays ?? 120) * DAY)}`)
    .replace('feeds: []', options.feedsYaml ?? 'feeds: []');
  const file = path.join(dir, 'pack.yaml');
  writeFileSync(file, text);
  return file;
}
