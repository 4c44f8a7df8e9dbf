// The registry of CLI verbs: adding a verb is one file in this folder and one line here.
import type { Command } from 'commander';
import { registerMigrate } from './migrate.ts';
import { registerPack } from './pack.ts';
import { registerResolve } from './resolve.ts';
import { registerScore } from './score.ts';
import { registerStatus } from './status.ts';
import { registerStart } from './start.ts';

export const commands: Array<(program: Command) => void> = [registerStart, registerMigrate, registerPack, registerResolve, registerScore, registerStatus];
