#!/usr/bin/env node
// Entry point for the `bellwether` command: runs the built CLI in dist/ (`npm run build`, which `npm install`
// runs through `prepare`). Plain JavaScript, so a command costs Node and the verb it runs, not a compiler.
import { existsSync } from 'node:fs';

// A reader that went away (`bellwether feeds list | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// `start` stops on SIGTERM/SIGINT with exit 0 at any moment. Until its own handlers take over (src/cli/commands/
// start.ts, once the code is loaded), nothing is open yet, so the process can simply end here.
if (process.argv[2] === 'start') {
  const beforeStart = () => process.exit(0);
  globalThis[Symbol.for('bellwether.beforeStart')] = beforeStart;
  process.on('SIGINT', beforeStart);
  process.on('SIGTERM', beforeStart);
}

const built = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(built)) {
  process.stderr.write('bellwether: not built yet: run `npm run build` (npm install does it) in the project folder\n');
  process.exit(1);
}
const { runCli } = await import(built.href);
process.exitCode = await runCli(process.argv.slice(2));
