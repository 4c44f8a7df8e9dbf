#!/usr/bin/env node
/* global fetch, AbortSignal */
// The container's HEALTHCHECK (node:20-slim has no curl): exit 0 when GET /readyz on this host answers 200
// (database reachable, migrations current, scheduler ticking); otherwise 1, printing what /readyz named.
// PORT as the tracker reads it (default 8080); HEALTHCHECK_URL overrides the whole URL.
const url = process.env.HEALTHCHECK_URL ?? `http://127.0.0.1:${process.env.PORT || 8080}/readyz`;
try {
  const res = await fetch(url, { signal: AbortSignal.timeout(4000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  process.stdout.write(`healthy: ${url}\n`);
} catch (error) {
  process.stderr.write(`unhealthy: ${url}: ${error.message}\n`);
  process.exit(1);
}
