// Unit tests sit beside the source (src/**/*.test.ts); integration tests live in test/.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Tests that spawn bin/bellwether.js run dist/: build it once per run, from this checkout's src/.
    globalSetup: ['test/global-setup.ts'],
    // Vite sets BASE_URL=/ for bundles; Bellwether reads BASE_URL as its public URL, so tests start without it.
    env: { BASE_URL: '' },
  },
});
