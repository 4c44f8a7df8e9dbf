#!/usr/bin/env node
// Entry point for the `bellwether` command: runs the TypeScript CLI through tsx's ESM loader,
// so there is no build step between a clone and a working command.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2));
