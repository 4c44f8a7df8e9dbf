// The registry of CLI verbs: adding a verb is one file in this folder and one line here.
import type { Command } from 'commander';
import { registerAlerts } from './alerts.ts';
import { registerMigrate } from './migrate.ts';
import { registerPack } from './pack.ts';
import { registerStart } from './start.ts';
import { registerSubscribers } from './subscribers.ts';

export const commands: Array<(program: Command) => void> = [registerStart, registerMigrate, registerPack, registerSubscribers, registerAlerts];
