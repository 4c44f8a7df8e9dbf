// The feedparser corpus served over 127.0.0.1 through fetch → decode → parse: no crash, no hang, and agreement with feedparser's own output.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { htmlToText } from '../src/ingest/clean.ts';
import { decodeFeed } from '../src/ingest/decode.ts';
import { isIngestError } from '../src/ingest/errors.ts';
import { fetchFeed } from '../src/ingest/fetch/fetch-feed.ts';
import { parseFeed, type ParsedFeed } from '../src/ingest/parse.ts';
import { startFeedServer, type FeedServer } from './helpers/feed-server.ts';

const ROOT = new URL('./fixtures/feedparser/', import.meta.url).pathname;
const TESTS = join(ROOT, 'tests');
const CONCURRENCY = 8;
const PER_FILE_MS = 2000;

interface Oracle {
  path: string;
  bozo?: boolean;
  entries?: number;
  feed_title?: string | null;
  items?: { title: string | null }[];
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listFiles(join(dir, d.name)) : [join(dir, d.name)],
  );
}

/** `Header:` lines of the leading XML comment (only files named *http* carry them, as in feedparser's test server). */
export function headersOf(path: string, body: Buffer): Record<string, string> {
  if (!path.includes('http')) return {};
  const comment = /<!--([\s\S]*?)-->/.exec(body.subarray(0, 4096).toString('latin1'))?.[1] ?? '';
  const headers: Record<string, string> = {};
  for (const m of comment.matchAll(/^Header:\s*([^:\s]+)\s*:[ \t]*(.*)$/gm))
    headers[m[1]!.toLowerCase()] = m[2]!.trim();
  return headers;
}

/** Titles compared as text: feedparser keeps (sanitised) markup in HTML titles, we keep plain text. */
const norm = (s: string | null | undefined): string => (s == null ? '' : htmlToText(s).replace(/\s+/g, ' ').trim());
const trim = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

interface Result {
  path: string;
  ms: number;
  feed: ParsedFeed | null;
  error: string | null;
  crash: string | null;
}

async function runOne(server: FeedServer, path: string): Promise<Result> {
  const started = Date.now();
  try {
    const out = await fetchFeed(server.url(`/${path}`), {
      userAgent: 'Bellwether/corpus-test',
      allowPrivate: true,
      totalTimeoutMs: PER_FILE_MS,
    });
    if (out.kind !== 'ok') throw new Error('unexpected 304');
    const { text } = decodeFeed(out.body, out.contentType);
    const feed = await parseFeed(text, { fetchedAt: new Date('2026-11-21T12:00:00Z') });
    return { path, ms: Date.now() - started, feed, error: null, crash: null };
  } catch (e) {
    const crash = isIngestError(e) ? null : String((e as Error)?.stack ?? e);
    return {
      path,
      ms: Date.now() - started,
      feed: null,
      error: isIngestError(e) ? `${e.code}: ${e.message}` : null,
      crash,
    };
  }
}

describe('feedparser corpus', () => {
  let server: FeedServer;
  beforeAll(async () => {
    server = await startFeedServer({
      fallback: (req, res) => {
        const rel = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? '');
        const body = readFileSync(join(TESTS, rel));
        const headers = { 'content-type': 'application/xml', ...headersOf(rel, body) };
        for (const [k, v] of Object.entries(headers)) {
          try {
            res.setHeader(k, v);
          } catch {
            /* a header Node refuses to send is skipped, as a browser would */
          }
        }
        res.end(body);
      },
    });
  });
  afterAll(() => server.close());

  it('ingests every file without crash or hang and agrees with feedparser', async () => {
    const files = listFiles(TESTS)
      .map((f) => relative(TESTS, f))
      .sort();
    const results: Result[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < files.length) results.push(await runOne(server, files[next++]!));
      }),
    );
    const byPath = new Map(results.map((r) => [r.path, r]));
    const oracle = readFileSync(join(ROOT, 'feedparser-oracle.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Oracle);
    const clean = oracle.filter((o) => o.bozo === false);
    let sameCount = 0;
    let sameTitles = 0;
    let sameRawTitles = 0;
    const misses: string[] = [];
    for (const o of clean) {
      const feed = byPath.get(o.path)?.feed;
      const items = feed?.items ?? [];
      if (items.length === o.entries) sameCount++;
      else misses.push(`entries ${o.path}: feedparser ${o.entries}, we ${items.length}`);
      const want = [o.feed_title, ...(o.items ?? []).map((i) => i.title)];
      const got = [feed?.title ?? null, ...items.slice(0, want.length - 1).map((i) => i.title)];
      // Our titles are plain text already; feedparser's may hold (sanitised) markup, so theirs is also read as text.
      if (want.length === got.length && want.every((t, i) => trim(t) === trim(got[i]) || norm(t) === trim(got[i])))
        sameTitles++;
      else misses.push(`titles ${o.path}: ${JSON.stringify(want.map(norm))} vs ${JSON.stringify(got.map(trim))}`);
      if (want.length === got.length && want.every((t, i) => trim(t) === trim(got[i]))) sameRawTitles++;
    }
    const crashes = results.filter((r) => r.crash);
    const slow = results.filter((r) => r.ms >= PER_FILE_MS);
    const pct = (n: number): string => `${((100 * n) / clean.length).toFixed(2)}%`;
    console.log(
      `feedparser corpus: ${results.length} files served, ${results.filter((r) => r.feed).length} parsed, ` +
        `${results.filter((r) => r.error).length} rejected with an IngestError, ${crashes.length} crashes, slowest ${Math.max(...results.map((r) => r.ms))} ms`,
    );
    console.log(
      `agreement on ${clean.length} files feedparser parsed without bozo: entry count ${pct(sameCount)}, ` +
        `titles ${pct(sameTitles)} (as text; ${pct(sameRawTitles)} comparing feedparser's raw strings)`,
    );
    console.log(
      results
        .filter((r) => r.error)
        .map((r) => `rejected ${r.path}: ${r.error}`)
        .join('\n'),
    );
    console.log(misses.slice(0, Number(process.env.CORPUS_MISSES ?? 15)).join('\n'));
    expect(crashes.map((r) => `${r.path}: ${r.crash}`)).toEqual([]);
    expect(slow.map((r) => r.path)).toEqual([]);
    expect(results).toHaveLength(files.length);
    expect(sameCount / clean.length).toBeGreaterThanOrEqual(0.97);
    expect(sameTitles / clean.length).toBeGreaterThanOrEqual(0.95);
  }, 120_000);
});
