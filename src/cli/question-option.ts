// The options of the commands that read or rebuild one question of an instance tracking several (PACKS):
// --pack / --packs say which packs, --question which of them; the default is the first (the default question).
import type { Command } from 'commander';
import type { LoadedPack } from '../pack/load.ts';
import type { RuntimeOptions } from '../pipeline/runtime.ts';
import { CliError } from './errors.ts';

export interface QuestionOptions {
  pack?: string;
  packs?: string;
  question?: string;
  db?: string;
}

/** Adds --pack, --packs, --question and --db to a command; `question` says what --question does without it. */
export function questionOptions(command: Command, question = 'the default question, the first pack'): Command {
  return command
    .option('--pack <file>', 'pack file (default: PACK)')
    .option('--packs <list>', 'pack files or folders, comma-separated, the default question first (default: PACKS)')
    .option('--question <id>', `the question (pack id) to work on (default: ${question})`)
    .option('--db <url>', 'database (default: DATABASE_URL)');
}

/** What openRuntime needs from the options; --pack and --packs together is a usage error. */
export function runtimeOptions(opts: QuestionOptions): RuntimeOptions {
  if (opts.pack !== undefined && opts.packs !== undefined)
    throw new CliError('--pack and --packs: give one (--packs lists every question, the default first)');
  return { packFile: opts.pack, packs: opts.packs, databaseUrl: opts.db };
}

/** The question `id` names among `packs` (the default, packs[0], when absent); unknown → usage error listing them. */
export function pickQuestion(packs: readonly LoadedPack[], id: string | undefined): LoadedPack {
  if (id === undefined) return packs[0]!;
  const found = packs.find((p) => p.pack.id === id);
  if (!found)
    throw new CliError(`--question: unknown question "${id}" (known: ${packs.map((p) => p.pack.id).join(', ')})`);
  return found;
}
