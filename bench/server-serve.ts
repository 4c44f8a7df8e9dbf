// Benchmark helper (not a benchmark itself): serves the real app on 127.0.0.1 over a given SQLite file.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { loadConfig } from '../src/config/index.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createLogger } from '../src/logger.ts';
import { loadPack } from '../src/pack/load.ts';
import { createApp } from '../src/server/app.ts';

const [file, packFile] = process.argv.slice(2) as [string, string];
const handle = openDatabase({ kind: 'sqlite', file });
const config = loadConfig({ DATABASE_URL: file, PACK: packFile, LOG_LEVEL: 'silent' });
const app = createApp({
  db: handle.db,
  dbKind: 'sqlite',
  config,
  pack: loadPack(packFile),
  log: createLogger('silent'),
  version: 'bench',
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
  process.stdout.write(`${JSON.stringify({ port: info.port, pid: process.pid })}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
