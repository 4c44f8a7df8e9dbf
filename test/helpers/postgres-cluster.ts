// A throwaway PostgreSQL cluster for the test suite: initdb into a temp directory, a loopback port,
// torn down after. Run as root (CI, this machine) it runs the server as the `postgres` user, since
// initdb and postgres refuse to run as root. Fails with a message saying what to install or fix.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The migrated database each test database is copied from. */
export const PG_TEMPLATE = 'bw_template';

export interface PgCluster {
  /** Superuser URL of the cluster's `postgres` database. */
  url: string;
  stop(): void;
}

/** Debian installs versioned binaries under /usr/lib/postgresql/<major>/bin; prefer 15. */
export function findPgBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((d) => existsSync(path.join(root, d, 'bin', 'initdb')))
    .sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)));
  return majors.length > 0 ? path.join(root, majors[0]!, 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, asPostgres: boolean, what: string): void {
  const r = asPostgres
    ? spawnSync('su', ['postgres', '-s', '/bin/sh', '-c', cmd], { encoding: 'utf8' })
    : spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`PostgreSQL test cluster: ${what} failed (${cmd}):\n${r.stderr || r.stdout || r.error?.message}`);
  }
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `durable`: keep PostgreSQL's default fsync settings (the benchmarks measure them; the suite turns them off). */
export async function startPgCluster(options: { durable?: boolean } = {}): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) {
    throw new Error(
      'PostgreSQL test cluster: no initdb under /usr/lib/postgresql/*/bin. Install PostgreSQL 15 ' +
        '(apt-get install -y postgresql) or point BELLWETHER_TEST_PG_URL at a server where you may create databases.',
    );
  }
  const asPostgres = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), 'bw-pg-'));
  if (asPostgres) {
    chmodSync(dir, 0o777);
    const owns = spawnSync('chown', ['postgres', dir]);
    if (owns.status !== 0) throw new Error('PostgreSQL test cluster: running as root but there is no "postgres" user');
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  const pgCtl = `${bin}/pg_ctl -D ${quote(data)}`;
  run(`${bin}/initdb -D ${quote(data)} -U postgres --auth=trust -E UTF8 --locale=C`, asPostgres, 'initdb');
  // Durability settings off: the cluster is thrown away, and the suite runs faster without fsyncs.
  const fast = options.durable ? '' : ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast} -c max_connections=200`;
  run(`${pgCtl} -o ${quote(opts)} -l ${quote(path.join(dir, 'log'))} -w start`, asPostgres, 'pg_ctl start');
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(`${pgCtl} -m immediate -w stop`, asPostgres, 'pg_ctl stop');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
