// Streams a response body through gzip/deflate/br decompression, counting the cap AFTER decompression (bombs abort early).
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { IngestError } from '../errors.ts';

type Decoder = 'gzip' | 'deflate' | 'deflate-raw' | 'br' | null;

/**
 * Picks the decoder from the first bytes, not only from Content-Encoding: servers declare gzip
 * on plain bodies, send gzip undeclared, and send raw deflate where zlib-wrapped is meant.
 */
export function chooseDecoder(contentEncoding: string | undefined, head: Buffer): Decoder {
  const enc = (contentEncoding ?? '').toLowerCase().trim();
  const gzipMagic = head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
  if (gzipMagic) return 'gzip';
  if (enc === 'br') return 'br';
  if (enc === 'deflate') {
    const zlibHeader = head.length >= 2 && (head[0]! & 0x0f) === 8 && ((head[0]! << 8) | head[1]!) % 31 === 0;
    return zlibHeader ? 'deflate' : 'deflate-raw';
  }
  return null; // identity, or gzip declared on a plain body
}

function makeDecoder(
  kind: Exclude<Decoder, null>,
): zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress {
  // Lenient flushing: a truncated-but-usable gzip tail should not lose the body.
  const opts = { finishFlush: zlib.constants.Z_SYNC_FLUSH };
  switch (kind) {
    case 'gzip':
      return zlib.createGunzip(opts);
    case 'deflate':
      return zlib.createInflate(opts);
    case 'deflate-raw':
      return zlib.createInflateRaw(opts);
    case 'br':
      return zlib.createBrotliDecompress({ finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH });
  }
}

/** Reads `res` fully; throws IngestError 'too_large' as soon as the decoded size passes `maxBytes`. */
export async function readBody(res: Readable, contentEncoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const iterator = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const pending: Buffer[] = [];
  let headLen = 0;
  let ended = false;
  while (headLen < 2) {
    const next = await iterator.next();
    if (next.done) {
      ended = true;
      break;
    }
    pending.push(next.value);
    headLen += next.value.length;
  }
  const head = Buffer.concat(pending);
  let raw = head.length;
  async function* source(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    while (!ended) {
      const next = await iterator.next();
      if (next.done) return;
      raw += next.value.length;
      // Decoded data is (almost) never smaller than its compressed form: 2x the cap in raw bytes is past the cap.
      if (raw > maxBytes * 2) throw tooLarge(maxBytes);
      yield next.value;
    }
  }
  const out: Buffer[] = [];
  let total = 0;
  async function sink(input: AsyncIterable<Buffer>): Promise<void> {
    for await (const chunk of input) {
      total += chunk.length;
      if (total > maxBytes) throw tooLarge(maxBytes);
      out.push(chunk);
    }
  }
  const kind = chooseDecoder(contentEncoding, head);
  try {
    if (kind) await pipeline(source, makeDecoder(kind), sink);
    else await pipeline(source, sink);
  } catch (e) {
    if (e instanceof IngestError) throw e;
    if (/^(Z_|ERR__ERROR|ERR_BROTLI)/.test((e as NodeJS.ErrnoException).code ?? '')) {
      // A body that does not decompress is still worth a try if we got something out of it.
      if (total > 0) return joined(out, total);
      throw new IngestError('network', `could not decompress the ${kind} body: ${(e as Error).message}`, { cause: e });
    }
    throw e;
  }
  return joined(out, total);
}

/** The chunks as one buffer; a body that came in one chunk (most feeds) is returned without a copy. */
function joined(chunks: Buffer[], total: number): Buffer {
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total);
}

function tooLarge(maxBytes: number): IngestError {
  return new IngestError('too_large', `response body exceeds ${maxBytes} bytes (after decompression)`);
}
