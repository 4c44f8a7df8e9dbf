// Benchmark helper (not a benchmark itself): serves the real app on 127.0.0.1 over a given database
// (a SQLite file path or a postgres:// URL, as DATABASE_URL takes them).
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { loadConfig } from '../src/config/index.ts';
import { openDatabase } from '../src/db/connect.ts';
import { createLogger } from '../src/logger.ts';
import { loadPack } from '../src/pack/load.ts';
import { createApp } from '../src/server/app.ts';

const [databaseUrl, packFile] = process.argv.slice(2) as [string, string];
const config = loadConfig({ DATABASE_URL: databaseUrl, PACK: packFile, LOG_LEVEL: 'silent' });
const handle = openDatabase(config.database);
const app = createApp({
  db: handle.db,
  dbKind: handle.kind,
  config,
  pack: loadPack(packFile),
  log: createLogger('silent'),
  version: 'bench',
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) =>
  process.stdout.write(`${JSON.stringify({ port: info.port, pid: process.pid })}\n`),
);
process.on('SIGTERM', () => server.close(() => void handle.close().then(() => process.exit(0))));
