#!/usr/bin/env node
// Entry point for the `bellwether` command: runs the TypeScript CLI through tsx's ESM loader,
// so there is no build step between a clone and a working command.
import { register } from 'tsx/esm/api';

// A reader that went away (`bellwether feeds list | head`) is not an error: stop quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
