#!/usr/bin/env bash
# Installs Bellwether for production from a built tree: copies what runs (bin/, dist/, packs/, demo/,
# package files, scripts/build.mjs and scripts/healthcheck.mjs, docs and LICENSE) into DEST and runs
# `npm ci --omit=dev` there. The Dockerfile's build stage runs exactly this; so does the test
# test/install-production.test.ts, in a clean temporary folder.
#
#   scripts/install-production.sh DEST           # from this checkout (run `npm run build` first)
#   scripts/install-production.sh --check DEST   # then start it on a free port, wait for /readyz, stop it
#                                                # (with the environment's PACK, if set: tests give a pack
#                                                # without feeds, so nothing is fetched)
#
# better-sqlite3 is a native module: when this checkout has already compiled it for the same Node,
# that binary is handed to npm as a local prebuild instead of compiling it again (minutes on 2 cores).
set -euo pipefail

check=0
if [ "${1:-}" = "--check" ]; then
  check=1
  shift
fi
if [ $# -ne 1 ]; then
  echo "usage: scripts/install-production.sh [--check] DEST" >&2
  exit 2
fi
src="$(cd "$(dirname "$0")/.." && pwd)"
dest="$1"

if [ ! -f "$src/dist/cli.js" ]; then
  echo "install-production: $src/dist/cli.js is missing: run \`npm run build\` first" >&2
  exit 1
fi
if [ -e "$dest" ] && [ -n "$(ls -A "$dest" 2>/dev/null)" ]; then
  echo "install-production: $dest is not empty: choose a new folder" >&2
  exit 1
fi
mkdir -p "$dest/scripts"
cp -R "$src/bin" "$src/dist" "$src/packs" "$src/demo" "$src/docs" "$dest/"
cp "$src/package.json" "$src/package-lock.json" "$src/LICENSE" "$src/README.md" "$dest/"
cp "$src/scripts/build.mjs" "$src/scripts/healthcheck.mjs" "$dest/scripts/"

native="$src/node_modules/better-sqlite3/build/Release/better_sqlite3.node"
if [ -f "$native" ]; then
  prebuilds="$(mktemp -d)"
  trap 'rm -rf "$prebuilds"' EXIT
  name="$(node -e '
    const v = require(process.argv[1] + "/node_modules/better-sqlite3/package.json").version;
    process.stdout.write(`better-sqlite3-v${v}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`);
  ' "$src")"
  tar -czf "$prebuilds/$name" -C "$src/node_modules/better-sqlite3" build/Release/better_sqlite3.node
  # prebuild-install (better-sqlite3's install step) looks there before downloading or compiling.
  export npm_config_better_sqlite3_local_prebuilds="$prebuilds"
fi

(cd "$dest" && npm ci --omit=dev --prefer-offline --no-audit --no-fund --loglevel=error)
echo "install-production: installed in $dest"

if [ "$check" = 1 ]; then
  data="$(mktemp -d)"
  log="$data/start.log"
  : >"$log" # exists before the poll below reads it (the child's redirection may come later)
  (cd "$dest" && DATABASE_URL="$data/bellwether.db" PORT=0 HOST=127.0.0.1 LOG_LEVEL=warn \
    exec node bin/bellwether.js start >"$log" 2>&1) &
  pid=$!
  url=""
  for _ in $(seq 1 100); do
    url="$(sed -n 's/.* at \(http:\/\/[^ ]*\) .*/\1/p' "$log" | head -1)"
    [ -n "$url" ] && break
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    sleep 0.1
  done
  if [ -z "$url" ]; then
    echo "install-production: the installed tracker did not start:" >&2
    cat "$log" >&2
    kill "$pid" 2>/dev/null || true
    exit 1
  fi
  port="${url##*:}"
  # /readyz: the database answers, its migrations are current and the scheduler has ticked.
  PORT="$port" node "$dest/scripts/healthcheck.mjs"
  kill -TERM "$pid"
  status=0
  wait "$pid" || status=$?
  if [ "$status" != 0 ]; then
    echo "install-production: the tracker exited $status on SIGTERM (expected 0):" >&2
    cat "$log" >&2
    exit 1
  fi
  echo "install-production: started at $url, /readyz answered 200, stopped cleanly"
  rm -rf "$data"
fi
