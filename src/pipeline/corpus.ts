// Reads a replay corpus: a JSONL file in the labelled format, or a folder of RSS/Atom files
// (decoded and parsed by the ingestion stage's own code, so replay sees what live polling sees).
import { BellwetherError } from '../errors.ts';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { readArchivedFeed } from '../ingest/index.ts';
import type { CorpusItem } from './replay.ts';

export class CorpusError extends BellwetherError<'invalid_corpus'> {
  readonly code = 'invalid_corpus';
}

function readJsonl(file: string): CorpusItem[] {
  const items: CorpusItem[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let row: Record<string, unknown>;
      try {
        row = JSON.parse(line) as Record<string, unknown>;
      } catch (cause) {
        throw new CorpusError(`${file}: line ${i + 1}: not valid JSON (${(cause as Error).message})`);
      }
      // The labelled corpora name the outlet; a replay corpus names its source: either will do.
      if (row.source === undefined && typeof row.outlet === 'string') row.source = row.outlet;
      for (const field of ['id', 'date', 'title', 'source'] as const) {
        if (typeof row[field] !== 'string' || row[field] === '')
          throw new CorpusError(`${file}: line ${i + 1}: ${field} must be a non-empty string`);
      }
      if (Number.isNaN(Date.parse(row.date as string)))
        throw new CorpusError(`${file}: line ${i + 1}: date is not a date (got "${String(row.date)}")`);
      items.push({
        id: row.id as string,
        date: row.date as string,
        title: row.title as string,
        source: row.source as string,
        summary: typeof row.summary === 'string' ? row.summary : '',
        url: typeof row.url === 'string' ? row.url : null,
        language: typeof row.language === 'string' ? row.language : null,
      });
    });
  return items;
}

async function readFeedFolder(dir: string): Promise<CorpusItem[]> {
  const files = readdirSync(dir)
    .filter((f) => /\.(xml|rss|atom)$/i.test(f))
    .sort();
  if (files.length === 0) throw new CorpusError(`${dir}: no .xml, .rss or .atom files`);
  const items: CorpusItem[] = [];
  for (const file of files) {
    let feed;
    try {
      feed = await readArchivedFeed(readFileSync(path.join(dir, file)));
    } catch (error) {
      throw new CorpusError(`${path.join(dir, file)}: ${(error as Error).message}`);
    }
    const source = feed.title ?? file;
    feed.items.forEach((item, i) => {
      // An item without a date has no place on the replay's timeline.
      if (item.publishedAt === null) return;
      items.push({
        id: item.guid ?? item.link ?? `${file}#${i}`,
        date: item.publishedAt,
        title: item.title,
        source,
        summary: item.summary,
        url: item.link,
        language: feed.language?.slice(0, 2).toLowerCase() ?? null,
      });
    });
  }
  return items;
}

export async function readCorpus(location: string): Promise<CorpusItem[]> {
  let stat;
  try {
    stat = statSync(location);
  } catch {
    throw new CorpusError(`${location}: no such file or folder`);
  }
  if (!stat.isDirectory()) return readJsonl(location);
  // A folder of labelled .jsonl files (corpora/labelled/) is read whole; otherwise it is a folder of feed files.
  const jsonl = readdirSync(location)
    .filter((f) => f.endsWith('.jsonl'))
    .sort();
  return jsonl.length > 0 ? jsonl.flatMap((f) => readJsonl(path.join(location, f))) : readFeedFolder(location);
}
