// One HTTP(S) request to a pre-checked address, under a connect timeout and a shared whole-fetch deadline.
import http from 'node:http';
import https from 'node:https';
import { IngestError } from '../errors.ts';
import { pinnedLookup, type ResolvedAddress } from './address-guard.ts';
import { toIngestError } from './http-errors.ts';

interface Destroyable {
  destroy(error?: Error): unknown;
}

/**
 * The whole-fetch deadline: when it fires (or the caller aborts), every live request and
 * response is destroyed, which also ends 1-byte/s drips and mid-body stalls.
 */
export class Deadline {
  failure: IngestError | null = null;
  private readonly live = new Set<Destroyable>();
  private readonly timer: NodeJS.Timeout;
  private readonly onAbort = (): void => this.fail(new IngestError('network', 'fetch aborted by the caller'));

  constructor(
    ms: number,
    private readonly signal?: AbortSignal,
  ) {
    this.timer = setTimeout(() => this.fail(new IngestError('timeout', `no complete response within ${ms} ms`)), ms);
    if (signal?.aborted) this.onAbort();
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Settles with `p`, or rejects with the deadline's failure as soon as there is one. */
  race<T>(p: Promise<T>): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<T>((resolve, reject) => {
      const handle = { destroy: () => reject(this.failure) };
      this.live.add(handle);
      p.then(resolve, reject).finally(() => this.live.delete(handle));
    });
  }

  fail(error: IngestError): void {
    this.failure ??= error;
    for (const d of this.live) d.destroy(this.failure);
  }

  track(d: Destroyable): void {
    if (this.failure) d.destroy(this.failure);
    else this.live.add(d);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
    this.live.clear();
  }
}

export interface HopOptions {
  headers: Record<string, string>;
  connectTimeoutMs: number;
  deadline: Deadline;
}

/** Sends GET `url` to `pinned` and resolves with the response head (body not read). */
export function requestHop(url: URL, pinned: ResolvedAddress, options: HopOptions): Promise<http.IncomingMessage> {
  const host = url.host;
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(
      url,
      {
        method: 'GET',
        headers: options.headers,
        agent: false,
        lookup: pinnedLookup(pinned),
      },
      (res) => {
        options.deadline.track(res);
        resolve(res);
      },
    );
    req.on('error', (e) => reject(options.deadline.failure ?? toIngestError(e, host)));
    req.on('socket', (socket) => {
      const connected = url.protocol === 'https:' ? 'secureConnect' : 'connect';
      const t = setTimeout(() => {
        req.destroy(new IngestError('timeout', `could not connect to ${host} within ${options.connectTimeoutMs} ms`));
      }, options.connectTimeoutMs);
      socket.once(connected, () => clearTimeout(t));
      socket.once('close', () => clearTimeout(t));
    });
    options.deadline.track(req);
    req.end();
  });
}
