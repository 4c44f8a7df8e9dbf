#!/usr/bin/env node
// `npm run test:soak`: the crash suite (test/crash-*.test.ts and test/ingest-crash.test.ts) with 20 SIGKILLs per operation instead
// of the 4 that `npm test` samples. BELLWETHER_CRASH_KILLS=N overrides the count; extra arguments go to vitest.
import { spawnSync } from 'node:child_process';

const kills = process.env.BELLWETHER_CRASH_KILLS ?? '20';
process.stdout.write(`crash suite soak: ${kills} SIGKILLs per operation\n`);
const r = spawnSync(
  'npx',
  [
    'vitest',
    'run',
    'test/crash-ingest.test.ts',
    'test/ingest-crash.test.ts',
    'test/crash-retag.test.ts',
    'test/crash-replay.test.ts',
    'test/crash-start.test.ts',
    ...process.argv.slice(2),
  ],
  { stdio: 'inherit', env: { ...process.env, BELLWETHER_CRASH_KILLS: kills } },
);
process.exit(r.status ?? 1);
