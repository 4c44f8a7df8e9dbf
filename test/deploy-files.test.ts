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

  it('compose.yaml builds this Dockerfile and keeps the database on a volume', () => {
    const compose = parse(read('compose.yaml')) as {
      services: Record<string, { build: string; volumes: string[] }>;
      volumes: Record<string, unknown>;
    };
    expect(compose.services.bellwether?.build).toBe('.');
    expect(compose.services.bellwether?.volumes).toEqual(['bellwether-data:/data']);
    expect(Object.keys(compose.volumes)).toEqual(['bellwether-data']);
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
