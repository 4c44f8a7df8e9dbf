// Scripted local HTTP(S) test server on 127.0.0.1 with per-path request counters and in-flight gauges ("canary").
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A canned answer; `body` may be a string or bytes. `delayMs` waits before the head is sent. */
export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  delayMs?: number;
}

export type RouteHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

/** A route answers with a handler, one fixed response, or a sequence (the last one repeats). */
export type Route = RouteHandler | ScriptedResponse | ScriptedResponse[];

export interface RecordedRequest {
  method: string;
  path: string;
  host: string;
  headers: http.IncomingHttpHeaders;
  at: number;
}

export interface FeedServer {
  /** e.g. `http://127.0.0.1:40123` (no trailing slash). */
  origin: string;
  port: number;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  route(path: string, route: Route): void;
  /** Requests seen for one path (path without query), or in total. */
  hits(path?: string): number;
  requests: RecordedRequest[];
  /** Requests currently being answered, and the most seen at once (total and per Host header). */
  inFlight(): number;
  maxInFlight(): number;
  maxInFlightPerHost(host: string): number;
  reset(): void;
  close(): Promise<void>;
}

export interface FeedServerOptions {
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Called for paths without a route; default 404. */
  fallback?: RouteHandler;
}

async function sendScripted(res: http.ServerResponse, r: ScriptedResponse): Promise<void> {
  if (r.delayMs) await new Promise((ok) => setTimeout(ok, r.delayMs));
  if (res.destroyed) return;
  res.writeHead(r.status ?? 200, r.headers ?? {});
  res.end(r.body ?? '');
}

function toHandler(route: Route): RouteHandler {
  if (typeof route === 'function') return route;
  if (!Array.isArray(route)) return (_req, res) => sendScripted(res, route);
  let i = 0;
  return (_req, res) => {
    const r = route[Math.min(i, route.length - 1)] ?? {};
    i++;
    return sendScripted(res, r);
  };
}

/** Starts a scripted server on 127.0.0.1 (random port). Close it in `afterAll`. */
export async function startFeedServer(options: FeedServerOptions = {}): Promise<FeedServer> {
  const routes = new Map<string, RouteHandler>();
  const requests: RecordedRequest[] = [];
  const perHost = new Map<string, { now: number; max: number }>();
  let live = 0;
  let peak = 0;
  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const host = req.headers.host ?? '';
    requests.push({ method: req.method ?? 'GET', path, host, headers: req.headers, at: Date.now() });
    const h = perHost.get(host) ?? { now: 0, max: 0 };
    perHost.set(host, h);
    live++;
    h.now++;
    peak = Math.max(peak, live);
    h.max = Math.max(h.max, h.now);
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      live--;
      h.now--;
    };
    res.on('close', finish);
    const handler =
      routes.get(path) ?? options.fallback ?? ((_q, r) => sendScripted(r, { status: 404, body: 'not found' }));
    Promise.resolve(handler(req, res)).catch(() => res.destroy());
  };
  const server = options.tls
    ? https.createServer({ key: options.tls.key, cert: options.tls.cert }, listener)
    : http.createServer(listener);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;
  const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    origin,
    port,
    url: (path) => origin + path,
    route: (path, route) => void routes.set(path, toHandler(route)),
    hits: (path) => (path === undefined ? requests.length : requests.filter((r) => r.path === path).length),
    requests,
    inFlight: () => live,
    maxInFlight: () => peak,
    maxInFlightPerHost: (host) => perHost.get(host)?.max ?? 0,
    reset: () => {
      requests.length = 0;
      peak = live;
      perHost.clear();
    },
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** A throwaway self-signed certificate for 127.0.0.1/localhost, generated with openssl in a temp dir. */
export function selfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'bw-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(key, 'utf8'), cert: readFileSync(cert, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
