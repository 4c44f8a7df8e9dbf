// Child process for the crash test: ingests every feed of the database in argv[2] (a SQLite file or a
// postgres:// URL) once.
// Prints "start" when ingestion begins (the parent kills it with SIGKILL at a random point after).
import { openDatabase } from '../../src/db/connect.ts';
import { migrateOrThrow } from '../../src/db/migrate.ts';
import { runIngest } from '../../src/ingest/index.ts';
import { testDeps } from './ingest-feeds.ts';

const file = process.argv[2];
if (!file) throw new Error('usage: ingest-crash-child.ts DB_FILE_OR_URL');
const handle = openDatabase(/^postgres(ql)?:/.test(file) ? { kind: 'postgres', url: file } : { kind: 'sqlite', file });
await migrateOrThrow(handle.db);
process.stdout.write('start\n');
const { feeds } = await runIngest(testDeps(handle.db), { now: new Date(), all: true });
process.stdout.write(`done ${feeds.filter((f) => f.status === 'ok').length}\n`);
await handle.close();
