// The deployment files cannot be run here (no Docker engine, no systemd), so they are held to the
// parts that are: the Dockerfile installs with scripts/install-production.sh (run for real in
// test/install-production.test.ts), checks health with scripts/healthcheck.mjs, runs as a non-root user;
// compose and the systemd unit start the same entry point.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { parse } from 'yaml';
import { parseDatabaseUrl } from '../src/config/index.ts';
import { afterEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

function runHealthcheck(port: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/healthcheck.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', PORT: String(port) },
      stdio: 'ignore',
    });
    child.on('exit', (code) => resolve(code));
  });
}

async function serveStatus(status: number): Promise<number> {
  const server = createServer((req, res) => {
    res.statusCode = req.url === '/readyz' ? status : 404;
    res.end();
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

describe('deployment files', () => {
  it('Dockerfile: multi-stage on Node 20 slim, installed by the tested script, non-root, HEALTHCHECK', () => {
    const lines = read('Dockerfile')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'));
    expect(lines.filter((l) => l.startsWith('FROM '))).toEqual(['FROM node:20-slim AS build', 'FROM node:20-slim']);
    expect(lines).toContain('RUN npm ci && scripts/install-production.sh /app');
    expect(lines).toContain('USER node');
    expect(lines.find((l) => l.startsWith('HEALTHCHECK'))).toMatch(/CMD \["node", "scripts\/healthcheck\.mjs"\]$/);
    expect(lines.at(-1)).toBe('CMD ["node", "bin/bellwether.js", "start"]');
    // The runtime stage takes only the installed tree from the build stage.
    expect(lines.filter((l) => l.startsWith('COPY --from=build'))).toEqual([
      'COPY --from=build --chown=root:root /app /app',
    ]);
  });

  it('the healthcheck exits 0 on a 200 from /readyz and 1 otherwise', async () => {
    expect(await runHealthcheck(await serveStatus(200))).toBe(0);
    expect(await runHealthcheck(await serveStatus(503))).toBe(1);
  });

  it('compose.yaml runs this Dockerfile on PostgreSQL: DATABASE_URL names the db service and its credentials', () => {
    type Service = {
      build?: string;
      image?: string;
      environment: Record<string, string>;
      depends_on?: Record<string, { condition: string }>;
      healthcheck?: { test: string[] };
      volumes?: string[];
    };
    const compose = parse(read('compose.yaml')) as {
      services: Record<string, Service>;
      volumes: Record<string, unknown>;
    };
    expect(Object.keys(compose.services).sort()).toEqual(['bellwether', 'db']);
    const { bellwether: app, db } = compose.services as { bellwether: Service; db: Service };
    expect(app.build).toBe('.');
    expect(db.image).toMatch(/^postgres:15/);
    // The app starts once PostgreSQL answers, so its migrations do not meet a database still starting.
    expect(app.depends_on).toEqual({ db: { condition: 'service_healthy' } });
    expect(db.healthcheck?.test.join(' ')).toContain('pg_isready');
    // Compose substitutes ${VAR:-default}; with the defaults, the URL must name the db service's own user,
    // password and database, and be a URL Bellwether reads as PostgreSQL.
    const substitute = (v: string) => v.replace(/\$\{(\w+):-([^}]*)\}/g, (_m, name: string, d: string) => d);
    const url = new URL(substitute(app.environment.DATABASE_URL!));
    expect(url.protocol).toBe('postgres:');
    expect(url.hostname).toBe('db');
    expect(url.port).toBe('5432');
    expect(url.username).toBe(db.environment.POSTGRES_USER);
    expect(url.password).toBe(substitute(db.environment.POSTGRES_PASSWORD!));
    expect(url.pathname).toBe(`/${db.environment.POSTGRES_DB}`);
    expect(parseDatabaseUrl(url.toString(), root)).toEqual({ kind: 'postgres', url: url.toString() });
    // The data lives on a named volume, declared at the top level.
    expect(db.volumes).toEqual(['postgres-data:/var/lib/postgresql/data']);
    expect(Object.keys(compose.volumes)).toEqual(['postgres-data']);
  });

  it('the systemd unit starts the built CLI and does not restart on a configuration error (exit 2)', () => {
    const unit = read('deploy/bellwether.service');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/bellwether\/bin\/bellwether\.js start$/m);
    expect(unit).toMatch(/^RestartPreventExitStatus=2$/m);
    expect(unit).toMatch(/^User=bellwether$/m);
  });

  it('ships the MIT licence package.json names', () => {
    expect((JSON.parse(read('package.json')) as { license: string }).license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n/);
  });
});
