// Child process for the crash test: ingests every feed of the database in argv[2] (a SQLite file or a
// postgres:// URL) once.
// Prints "start" when ingestion begins (the parent kills it with SIGKILL at a random point after).
import { parseDatabaseUrl } from '../../src/config/index.ts';
import { openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { runIngest } from '../../src/ingest/index.ts';
import { testDeps } from './ingest-feeds.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: ingest-crash-child.ts DB_FILE_OR_URL');
// Parsed as DATABASE_URL is, so a URL is never taken for a file path.
const handle = openDatabase(parseDatabaseUrl(file, process.cwd()));
await migrateOrThrow(handle.db);
process.stdout.write('start\n');
const { feeds } = await runIngest(testDeps(handle.db), { now: new Date(), all: true });
process.stdout.write(`done ${feeds.filter((f) => f.status === 'ok').length}\n`);
await handle.close();
