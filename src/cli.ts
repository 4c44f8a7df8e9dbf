// The `bellwether` command line: one sub-command per verb, each registered from src/cli/commands/.
import { Command, CommanderError } from 'commander';
import { EvalError } from './tagging/labelled.ts';
import { TagModelError } from './tagging/model/tag-model.ts';
import { commands } from './cli/commands/index.ts';
import { ConfigError } from './config/index.ts';
import { DatabaseError } from './db/connect.ts';
import { StartError } from './main.ts';
import { CorpusError } from './pipeline/corpus.ts';
import { PackError } from './pack/load.ts';
import { ReplayError } from './pipeline/replay.ts';
import { VERSION } from './version.ts';

/** Errors whose message is the whole story: printed without a stack trace. */
export function isUserFacingError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof PackError ||
    error instanceof DatabaseError ||
    error instanceof CliError ||
    error instanceof CorpusError ||
    error instanceof ReplayError ||
    error instanceof StartError ||
    error instanceof TagModelError ||
    error instanceof EvalError
  );
}

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

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
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    if (error instanceof ConfigError) process.stderr.write(`bellwether: configuration error: ${error.message}\n`);
    else if (isUserFacingError(error)) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`bellwether: ${(error as Error).stack ?? String(error)}\n`);
    return error instanceof CliError ? error.exitCode : 1;
  }
}
