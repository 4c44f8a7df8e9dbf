// Test helper: a fresh temporary directory. Kept apart from temp-db.ts (which makes test databases) so a test
// that only needs a folder does not count as a database test: scripts/test.mjs runs a file in the PostgreSQL
// pass when its imports reach test/helpers/test-database.ts.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function tempDir(prefix = 'bellwether-test-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}
