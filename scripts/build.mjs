#!/usr/bin/env node
// `npm run build`: bundles src/cli.ts into dist/ with esbuild. Dependencies stay in node_modules (not
// bundled); each CLI verb is its own chunk, loaded only when that verb runs. The new tree is written
// beside dist/ and swapped in whole, so a failed or concurrent build never leaves a half-written dist/.
// `--if-possible` (what `prepare` runs): when esbuild is absent (an `npm ci --omit=dev` of a built
// tree), keep the dist/ that is there instead of failing the install.
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const ifPossible = process.argv.includes('--if-possible');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  if (ifPossible && existsSync(path.join(dist, 'cli.js'))) {
    process.stdout.write('bellwether: esbuild is not installed (production install): keeping the built dist/\n');
    process.exit(0);
  }
  process.stderr.write(
    ifPossible
      ? 'bellwether: cannot build: esbuild is not installed and there is no dist/ (install with dev dependencies, or copy a built dist/)\n'
      : 'bellwether: cannot build: esbuild is not installed (run npm install)\n',
  );
  process.exit(1);
}

const staging = path.join(root, `dist.tmp-${process.pid}`);
rmSync(staging, { recursive: true, force: true });
try {
  await esbuild.build({
    absWorkingDir: root,
    // The feed parser's worker thread is its own entry: parse-pool.ts starts dist/parse-worker.js.
    entryPoints: { cli: 'src/cli.ts', 'parse-worker': 'src/ingest/parse-worker.ts' },
    outdir: staging,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    keepNames: true,
    sourcemap: 'linked',
    // Every file sits directly in dist/, one level below the package root as src/ files are: a module
    // reading `../package.json` (src/version.ts) finds it from both.
    chunkNames: '[name]-[hash]',
    logLevel: 'warning',
  });
  writeFileSync(path.join(staging, 'BUILT_FROM'), 'src/ (see package.json "build"); do not edit\n');
  const old = path.join(root, `dist.old-${process.pid}`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(staging, dist);
  rmSync(old, { recursive: true, force: true });
} catch (error) {
  rmSync(staging, { recursive: true, force: true });
  process.stderr.write(`bellwether: build failed: ${error.message}\n`);
  process.exit(1);
}
