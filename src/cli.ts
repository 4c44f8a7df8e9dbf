// The `bellwether` command line: one sub-command per verb (src/cli/commands/). Only the verb being run is
// loaded, so `bellwether --help` costs Node, commander and this file, not the whole application.
import { Command, CommanderError } from 'commander';
import { verbs } from './cli/commands/index.ts';
import { EXIT_CODES, exitCodeOf } from './cli/errors.ts';
import { ConfigError } from './config/config-error.ts';
import { isBellwetherError } from './errors.ts';
import { VERSION } from './version.ts';

/** The verb a command line asks for (`feeds list` → feeds, `help feeds` → feeds), if any. */
function verbOf(argv: string[]): string | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  return words[0] === 'help' ? words[1] : words[0];
}

/**
 * The program with `only` loaded in full (every verb when `only` is 'all') and the other verbs as stubs
 * that carry their one-line summary for `--help`.
 */
export async function buildProgram(only: string | 'all' | undefined): Promise<Command> {
  const program = new Command('bellwether')
    .description('Bellwether: news feeds → indicators → explainable scenario probabilities')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  for (const verb of verbs) {
    if (only === 'all' || verb.name === only) (await verb.load())(program);
    else program.command(verb.name).description(verb.summary);
  }
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  try {
    const program = await buildProgram(verbOf(argv));
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (thrown) {
    // Help and --version end with 0; a wrong verb, option or argument is invalid input like any other (2).
    if (thrown instanceof CommanderError) return thrown.exitCode === 0 ? 0 : EXIT_CODES.invalid;
    // A lock another process kept past every retry (or a single statement's busy timeout) is `busy`, exit 75.
    // Loaded here, not at the top: it pulls in the database driver, which `--help` never needs.
    const error = (await import('./db/busy.ts')).userFacingDbError(thrown);
    // Our own errors are written for the user: their message is the whole story, without a stack trace.
    if (error instanceof ConfigError) process.stderr.write(`bellwether: configuration error: ${error.message}\n`);
    else if (isBellwetherError(error)) process.stderr.write(`${error.message}\n`);
    else process.stderr.write(`bellwether: ${(error as Error).stack ?? String(error)}\n`);
    return isBellwetherError(error) ? exitCodeOf(error) : 1;
  }
}
