// Browser tests: makes sure Debian's Chromium is installed, launches it headless with a fresh profile.
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type BrowserContext, chromium } from 'playwright-core';
import type { Hono } from 'hono';

export const CHROMIUM = '/usr/bin/chromium';

export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  try {
    execSync('apt-get update && apt-get install -y chromium', { stdio: 'pipe', timeout: 600_000 });
  } catch (e) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM} and "apt-get install -y chromium" failed (run it as root): ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
}

export async function launchBrowser(
  options: {
    javaScriptEnabled?: boolean;
    /** A touch phone: taps, no hover (for the chart's tap behaviour). */
    touch?: boolean;
    colorScheme?: 'light' | 'dark';
    timezoneId?: string;
  } = {},
): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  ensureChromium();
  const profile = mkdtempSync(path.join(tmpdir(), 'bellwether-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: options.touch ? { width: 390, height: 844 } : { width: 1200, height: 900 },
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    ...(options.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: 3 } : {}),
    ...(options.colorScheme ? { colorScheme: options.colorScheme } : {}),
    ...(options.timezoneId ? { timezoneId: options.timezoneId } : {}),
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Serves the real app over HTTP on 127.0.0.1 with an OS-assigned port. */
export async function serveApp(app: Hono): Promise<{ url: string; close(): Promise<void> }> {
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
