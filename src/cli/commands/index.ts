// The registry of CLI verbs: adding a verb is one file in this folder and one line here.
import type { Command } from 'commander';
import { registerAlerts } from './alerts.ts';
import { registerDemo } from './demo.ts';
import { registerEval } from './eval.ts';
import { registerExplain } from './explain.ts';
import { registerFeeds } from './feeds.ts';
import { registerIngest } from './ingest.ts';
import { registerMigrate } from './migrate.ts';
import { registerPack } from './pack.ts';
import { registerReplay } from './replay.ts';
import { registerResolve } from './resolve.ts';
import { registerRetag } from './retag.ts';
import { registerScore } from './score.ts';
import { registerStart } from './start.ts';
import { registerStatus } from './status.ts';
import { registerSubscribers } from './subscribers.ts';

export const commands: Array<(program: Command) => void> = [
  registerStart,
  registerMigrate,
  registerPack,
  registerAlerts,
  registerDemo,
  registerEval,
  registerExplain,
  registerFeeds,
  registerIngest,
  registerReplay,
  registerResolve,
  registerRetag,
  registerScore,
  registerStatus,
  registerSubscribers,
];
