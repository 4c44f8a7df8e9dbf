// Version floors for dependencies with known security fixes (RELIABILITY.md #39): a downgrade fails the suite.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const installed = (pkg: string, from = root): string =>
  (JSON.parse(readFileSync(path.join(from, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

/** Compares dotted versions numerically: negative when a < b. */
function compare(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(Number);
  const pb = b.split(/[.-]/).map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

describe('dependency version floors', () => {
  it.each([
    // hono < 4.13.7 has published advisories on its body and header handling.
    ['hono', '4.13.7'],
    // xml2js < 0.5.0 lets a crafted feed pollute Object.prototype (CVE-2023-0842); rss-parser brings it.
    ['xml2js', '0.5.0'],
  ])('%s is at least %s', (pkg, floor) => {
    expect(compare(installed(pkg), floor)).toBeGreaterThanOrEqual(0);
  });

  it('better-sqlite3 stays below 13 (13.x segfaults on Node 20)', () => {
    expect(compare(installed('better-sqlite3'), '13.0.0')).toBeLessThan(0);
  });

  it('compares versions numerically', () => {
    expect(compare('4.13.10', '4.13.7')).toBeGreaterThan(0);
    expect(compare('0.4.23', '0.5.0')).toBeLessThan(0);
  });
});
