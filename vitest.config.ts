// Unit tests sit beside the source (src/**/*.test.ts); integration tests live in test/.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';
import LongestFirst from './test/setup/sequencer.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // One more worker than cores (Vitest's default is one fewer): many files spend their time waiting on child
    // processes, servers and Chromium, so on two cores three workers finish the suite sooner than one does.
    maxWorkers: availableParallelism() + 1,
    sequence: { sequencer: LongestFirst },
    // Tests that spawn bin/bellwether.js run dist/: build it once per run, from this checkout's src/.
    // BELLWETHER_TEST_DB=postgres: start a throwaway PostgreSQL cluster for the run (test/setup/postgres.ts).
    globalSetup: ['test/global-setup.ts', 'test/setup/postgres.ts'],
    // Vite sets BASE_URL=/ for bundles; Bellwether reads BASE_URL as its public URL, so tests start without it.
    env: { BASE_URL: '' },
  },
});
