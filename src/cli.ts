// The `bellwether` command line: one sub-command per verb, each registered from src/cli/commands/.
import { Command, CommanderError } from 'commander';
import { commands } from './cli/commands/index.ts';
import { exitCodeOf } from './cli/errors.ts';
import { ConfigError } from './config/index.ts';
import { userFacingDbError } from './db/busy.ts';
import { isBellwetherError } from './errors.ts';
import { VERSION } from './version.ts';

export function buildProgram(): Command {
  const program = new Command('bellwether')
    .description('Bellwether: news feeds → indicators → explainable scenario probabilities')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (thrown) {
    if (thrown instanceof CommanderError) return thrown.exitCode;
    // A lock another process kept past every retry (or a single statement's busy timeout) is `busy`, exit 75.
    const error = userFacingDbError(thrown);
    // Our own errors are written for the user: their message is the whole story, without a stack trace.
    if (error instanceof ConfigError) process.stderr.write(`bellwether: configuration error: ${error.message}\n`);
    else if (isBellwetherError(error)) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`bellwether: ${(error as Error).stack ?? String(error)}\n`);
    return isBellwetherError(error) ? exitCodeOf(error) : 1;
  }
}
