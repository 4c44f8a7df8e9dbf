// Child process for the history-rebuild test: a reader on its own connection, looking at the pack's
// snapshot history (count, first and last time) as fast as it can until its stdin closes, then
// printing every distinct look it had and how often, as one JSON line.
import Database from 'better-sqlite3';

const [file, packId] = process.argv.slice(2);
if (!file || !packId) throw new Error('usage: history-reader.ts DB_FILE PACK_ID');
const db = new Database(file, { readonly: true });
const look = db.prepare('SELECT count(*) AS n, min(at) AS first, max(at) AS last FROM snapshots WHERE pack_id = ?');
const seen = new Map<string, number>();
let open = true;
process.stdin.on('end', () => (open = false));
process.stdin.resume();
process.stdout.write('reading\n');
while (open) {
  for (let i = 0; i < 50; i++) {
    const key = JSON.stringify(look.get(packId));
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  await new Promise((r) => setImmediate(r));
}
process.stdout.write(`${JSON.stringify([...seen].map(([k, n]) => ({ ...JSON.parse(k), looks: n })))}\n`);
