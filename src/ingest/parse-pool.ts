// Runs readFeed in worker threads under a time and a memory budget: a hostile feed costs at most its
// budget, never blocks the event loop (the dashboard keeps answering while it is read), and cannot
// exhaust the process's heap. A worker that overruns is terminated and replaced.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { IngestError, type IngestErrorCode } from './errors.ts';
import { PARSE_MEMORY_MB } from './limits.ts';
import type { ReadFeed } from './read-feed.ts';

/** Main thread → worker. */
export interface ParseJob {
  id: number;
  text: string;
  fetchedAt: string;
  maxItems: number;
}

/** Worker → main thread. */
export type ParseReply =
  { ready: true } | { id: number; feed: ReadFeed } | { id: number; error: { code: IngestErrorCode; message: string } };

export interface ReadRequest {
  fetchedAt: Date;
  maxItems: number;
  /** Wall time the read may take once a worker has it. */
  budgetMs: number;
}

export interface ParsePoolOptions {
  /** Workers run at once (default 2): one slow feed leaves the other free. */
  size?: number;
  /** Heap limit per worker in MB (default PARSE_MEMORY_MB). */
  memoryMb?: number;
  /** An idle worker is stopped after this long (default 60 s), so its memory goes back. */
  idleMs?: number;
}

interface Pending {
  job: ParseJob;
  budgetMs: number;
  resolve: (feed: ReadFeed) => void;
  reject: (error: IngestError) => void;
}

interface Slot {
  worker: Worker | null;
  ready: boolean;
  current: Pending | null;
  budget: NodeJS.Timeout | null;
  idle: NodeJS.Timeout | null;
}

/**
 * The worker's entry: the built `dist/parse-worker.js` beside the bundle that runs this code, or, from the
 * sources (tests, tsx), `parse-worker.mjs`, which loads the TypeScript worker through tsx.
 */
const BUILT_ENTRY = new URL('./parse-worker.js', import.meta.url);
const ENTRY = existsSync(fileURLToPath(BUILT_ENTRY)) ? BUILT_ENTRY : new URL('./parse-worker.mjs', import.meta.url);

export class ParsePool {
  private readonly slots: Slot[];
  private readonly queue: Pending[] = [];
  private readonly memoryMb: number;
  private readonly idleMs: number;
  private nextId = 1;
  private closed = false;

  constructor(options: ParsePoolOptions = {}) {
    this.slots = Array.from({ length: Math.max(1, options.size ?? 2) }, () => ({
      worker: null,
      ready: false,
      current: null,
      budget: null,
      idle: null,
    }));
    this.memoryMb = options.memoryMb ?? PARSE_MEMORY_MB;
    this.idleMs = options.idleMs ?? 60_000;
  }

  /** Parses and cleans `text` in a worker; rejects with IngestError (the parser's, or 'parse_error' for a blown budget). */
  read(text: string, request: ReadRequest): Promise<ReadFeed> {
    if (this.closed) return Promise.reject(new IngestError('parse_error', 'the parse pool is closed'));
    // V8 survives a heap that fills up gradually (the worker is stopped), but not one single copy bigger
    // than the whole limit, which would abort the process: such text never goes to a worker.
    if (text.length > (this.memoryMb * 1024 * 1024) / 8) {
      const message = `the feed text (${text.length} characters) is too large for the parser's ${this.memoryMb} MB memory budget`;
      return Promise.reject(new IngestError('too_large', message));
    }
    return new Promise<ReadFeed>((resolve, reject) => {
      const job = { id: this.nextId++, text, fetchedAt: request.fetchedAt.toISOString(), maxItems: request.maxItems };
      this.queue.push({ job, budgetMs: request.budgetMs, resolve, reject });
      this.pump();
    });
  }

  /** Stops every worker; queued and running reads are rejected. */
  async close(): Promise<void> {
    this.closed = true;
    const closed = (): IngestError => new IngestError('parse_error', 'the parse pool was closed');
    for (const p of this.queue.splice(0)) p.reject(closed());
    await Promise.all(
      this.slots.map((slot) => {
        const stopped = this.kill(slot);
        this.settle(slot, closed());
        return stopped;
      }),
    );
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.closed || slot.current || this.queue.length === 0) continue;
      slot.current = this.queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      if (!slot.worker) this.spawn(slot);
      else if (slot.ready) this.send(slot);
    }
  }

  private spawn(slot: Slot): void {
    const worker = new Worker(ENTRY, { resourceLimits: { maxOldGenerationSizeMb: this.memoryMb } });
    slot.worker = worker;
    slot.ready = false;
    worker.on('message', (m: ParseReply) => {
      if (slot.worker !== worker) return;
      if ('ready' in m) {
        slot.ready = true;
        if (slot.current) this.send(slot);
      } else if (slot.current?.job.id === m.id) {
        this.settle(slot, 'feed' in m ? m.feed : new IngestError(m.error.code, m.error.message));
      }
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const oom = e.code === 'ERR_WORKER_OUT_OF_MEMORY';
      void this.kill(slot);
      this.settle(
        slot,
        new IngestError(
          'parse_error',
          oom
            ? `reading the feed needed more than the ${this.memoryMb} MB memory budget: abandoned`
            : `the parse worker failed: ${e.message}`,
          { cause: e },
        ),
      );
    });
    worker.on('exit', (code) => {
      if (slot.worker !== worker) return;
      slot.worker = null;
      slot.ready = false;
      this.settle(slot, new IngestError('parse_error', `the parse worker stopped (exit code ${code})`));
    });
  }

  private send(slot: Slot): void {
    const p = slot.current!;
    const worker = slot.worker!;
    worker.ref(); // a read in progress keeps the process alive
    slot.budget = setTimeout(() => {
      void this.kill(slot); // the only way to stop a runaway synchronous parse
      this.settle(
        slot,
        new IngestError(
          'parse_error',
          `reading the feed took longer than its ${p.budgetMs} ms budget (too large or too malformed): abandoned`,
        ),
      );
    }, p.budgetMs);
    worker.postMessage(p.job);
  }

  /** Ends the slot's current read with `outcome`, then gives the slot the next read, or lets it idle. */
  private settle(slot: Slot, outcome: ReadFeed | IngestError): void {
    const p = slot.current;
    if (slot.budget) clearTimeout(slot.budget);
    slot.budget = null;
    slot.current = null;
    if (p) {
      if (outcome instanceof IngestError) p.reject(outcome);
      else p.resolve(outcome);
    }
    this.pump();
    if (!slot.current && slot.worker && !this.closed) {
      slot.worker.unref(); // an idle worker never keeps the process alive
      slot.idle = setTimeout(() => void this.kill(slot), this.idleMs);
      slot.idle.unref();
    }
  }

  /** Terminates the slot's worker (its current read, if any, is for the caller to settle). */
  private kill(slot: Slot): Promise<unknown> {
    const worker = slot.worker;
    slot.worker = null;
    slot.ready = false;
    if (slot.idle) clearTimeout(slot.idle);
    slot.idle = null;
    return worker ? worker.terminate() : Promise.resolve();
  }
}

let shared: ParsePool | null = null;

/** The process's pool, started on first use (its workers start lazily and never keep the process alive when idle). */
export function sharedParsePool(): ParsePool {
  return (shared ??= new ParsePool());
}
