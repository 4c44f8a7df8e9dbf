// Child process for the busy tests: another writer on the same SQLite file. It takes the write lock
// (BEGIN IMMEDIATE), writes a row, holds the lock HOLD_MS, commits, rests REST_MS, and repeats until
// killed. Prints "writing" once it holds the lock the first time.
import Database from 'better-sqlite3';

const [file, holdArg, restArg] = process.argv.slice(2);
if (!file) throw new Error('usage: busy-writer.ts DB_FILE [HOLD_MS] [REST_MS]');
const hold = Number(holdArg ?? 50);
const rest = Number(restArg ?? 10);
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('busy_timeout = 60000');
db.exec('CREATE TABLE IF NOT EXISTS busy_writer (n INTEGER)');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
for (let n = 0; ; n++) {
  db.exec('BEGIN IMMEDIATE');
  db.prepare('INSERT INTO busy_writer (n) VALUES (?)').run(n);
  if (n === 0) process.stdout.write('writing\n');
  await sleep(hold);
  db.exec('COMMIT');
  await sleep(rest);
}
