// The parse worker thread's message loop: reads one feed text per message (readFeed) and answers with
// the result or the error as data. Started by parse-pool.ts through parse-worker.mjs.
import { parentPort } from 'node:worker_threads';
import { isIngestError } from './errors.ts';
import type { ParseJob, ParseReply } from './parse-pool.ts';
import { readFeed } from './read-feed.ts';

const port = parentPort;
if (!port) throw new Error('parse-worker.ts runs only as a worker thread (see parse-pool.ts)');

port.on('message', (job: ParseJob) => {
  const reply = (r: ParseReply): void => port.postMessage(r);
  readFeed(job.text, { fetchedAt: new Date(job.fetchedAt), maxItems: job.maxItems }).then(
    (feed) => reply({ id: job.id, feed }),
    (e: unknown) =>
      reply({
        id: job.id,
        error: {
          code: isIngestError(e) ? e.code : 'parse_error',
          message: isIngestError(e) ? e.message : `the parser failed: ${(e as Error)?.message ?? String(e)}`,
        },
      }),
  );
});
port.postMessage({ ready: true } satisfies ParseReply);
