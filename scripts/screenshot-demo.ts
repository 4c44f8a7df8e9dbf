// Regenerates the demo screenshots in docs/: runs the offline demo into a temp database, serves its
// dashboard on 127.0.0.1 and photographs the overview, a scenario and the 16 December day page in
// Debian's Chromium at 1280 and 390 px wide. Run: npx tsx scripts/screenshot-demo.ts
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runDemo } from '../src/demo/run-demo.ts';
import { silentLogger } from '../src/logger.ts';
import { createApp } from '../src/server/app.ts';
import { VERSION } from '../src/version.ts';
import { launchBrowser } from '../test/helpers/chromium.ts';
import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';

const root = path.resolve(import.meta.dirname, '..');
const run = await runDemo({
  root,
  dbFile: path.join(mkdtempSync(path.join(tmpdir(), 'bw-shot-')), 'demo.db'),
  baseUrl: 'http://localhost:8080',
  log: silentLogger,
});
await run.close();
const app = createApp({
  db: run.handle.db,
  dbKind: 'sqlite',
  config: run.config,
  pack: run.pack,
  log: silentLogger,
  version: VERSION,
  now: () => run.endedAt,
});
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await new Promise((r) => server.once('listening', r));
const { port } = server.address() as AddressInfo;
const browser = await launchBrowser();
const shots: [string, string][] = [
  ['overview', '/'],
  ['scenario', '/scenarios/collapse'],
  ['day', '/days/2025-12-16'],
];
const written: string[] = [];
for (const width of [1280, 390]) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: width > 600 ? 1400 : 1800 });
  for (const [name, url] of shots) {
    await page.goto(`http://127.0.0.1:${port}${url}`);
    const file = `docs/demo-${name}${width === 1280 ? '' : `-${width}`}.png`;
    await page.screenshot({ path: path.join(root, file), fullPage: false });
    written.push(file);
  }
  await page.close();
}
await browser.close();
server.close();
await run.handle.close();
process.stdout.write(`wrote ${written.join(', ')}\n`);
