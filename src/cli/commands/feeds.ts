// `bellwether feeds add|remove|list|import|export`: manage the feeds polled, with their health.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { CliError } from '../errors.ts';
import { printJson } from '../json-output.ts';
import {
  FeedError,
  type FeedHealth,
  addFeed,
  exportOpml,
  importOpml,
  listFeeds,
  removeFeed,
  syncPackFeeds,
} from '../../ingest/index.ts';
import { openRuntime, type Runtime } from '../../pipeline/runtime.ts';

interface Common {
  pack?: string;
  db?: string;
}

/** Opens the runtime with the pack's feeds synced (so pack feeds can be listed and removed). */
async function withFeeds<T>(opts: Common, fn: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await openRuntime({ packFile: opts.pack, databaseUrl: opts.db });
  try {
    await syncPackFeeds(rt.db, rt.pack.pack.feeds, rt.now(), { intervalMinutes: rt.pack.pack.poll_interval_minutes });
    return await fn(rt);
  } catch (error) {
    if (error instanceof FeedError) throw CliError.wrap('bellwether feeds: ', error);
    throw error;
  } finally {
    await rt.close();
  }
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

function parseTier(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new CliError(`--tier must be a whole number 1-5 (got "${v}")`);
  return n;
}

export function formatHealth(f: FeedHealth): string {
  const when = (s: string | null) => (s ? s.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');
  return [
    `${f.url}${f.name ? `  (${f.name})` : ''}`,
    `  status ${f.status}  tier ${f.tier}  items ${f.itemCount}  last success ${when(f.lastSuccessAt)}  next check ${when(f.nextCheckAt)}`,
    `  polled ${f.schedule ? `on schedule "${f.schedule}" (UTC)` : `every ${f.intervalMinutes} min`}`,
    ...(f.lastError
      ? [
          `  last error ${f.lastError}${f.consecutiveFailures > 0 ? ` (${f.consecutiveFailures} in a row since ${when(f.failingSince)})` : ''}`,
        ]
      : []),
  ].join('\n');
}

export function registerFeeds(program: Command): void {
  const feeds = program
    .command('feeds')
    .description('manage the feeds Bellwether polls (add, remove, list with health, OPML import/export)');
  const common = (c: Command): Command =>
    c.option('--pack <file>', 'pack file (default: PACK)').option('--db <url>', 'database (default: DATABASE_URL)');

  common(feeds.command('add').description('add a feed (http/https; private addresses need ALLOW_PRIVATE_FEEDS=1)'))
    .argument('<url>', 'feed URL')
    .requiredOption('--tier <n>', 'source reliability, 1 (most reliable) to 5', parseTier)
    .option('--name <name>', 'display name')
    .option('--language <code>', 'two-letter language code, e.g. uk')
    .option('--interval <minutes>', "poll interval in minutes (default: the pack's)", (v) => Number(v))
    .option('--schedule <cron>', 'poll at these times instead: a cron expression in UTC, e.g. "*/5 * * * *"')
    .option('--full-text', "fetch each new article's page and extract its text")
    .action(
      async (
        url: string,
        o: Common & {
          tier: number;
          name?: string;
          language?: string;
          interval?: number;
          schedule?: string;
          fullText?: boolean;
        },
      ) =>
        withFeeds(o, async (rt) => {
          const interval = o.interval ?? rt.pack.pack.poll_interval_minutes;
          if (!Number.isInteger(interval) || interval < 1)
            throw new CliError('--interval must be a whole number of minutes ≥ 1');
          const r = await addFeed(
            rt.db,
            {
              url,
              tier: o.tier,
              name: o.name,
              language: o.language,
              intervalMinutes: interval,
              schedule: o.schedule,
              fullText: o.fullText,
            },
            rt.now(),
            rt.config.allowPrivateFeeds,
          );
          const then = o.schedule ? `, then on schedule "${o.schedule.trim()}" (UTC)` : '';
          out(
            `${r.reactivated ? 're-added' : 'added'} ${url} (tier ${o.tier}); it will be polled on the next ingest${then}`,
          );
        }),
    );

  common(
    feeds.command('remove').description('stop polling a feed (its articles stay; the pack will not bring it back)'),
  )
    .argument('<url>', 'feed URL (as added, or as moved by a 301)')
    .action(async (url: string, o: Common) =>
      withFeeds(o, async (rt) => void out(`removed ${(await removeFeed(rt.db, url)).url}`)),
    );

  common(
    feeds.command('list').description('feeds with health: status, last success, last error, next check, item count'),
  )
    .option('--json', 'print one JSON document {"feeds":[...]}')
    .option('--removed', 'include removed feeds')
    .action(async (o: Common & { json?: boolean; removed?: boolean }) =>
      withFeeds(o, async (rt) => {
        const list = await listFeeds(rt.db, { includeRemoved: o.removed });
        if (o.json) return printJson({ feeds: list });
        for (const f of list) out(formatHealth(f));
        if (list.length === 0) out('no feeds');
      }),
    );

  common(
    feeds
      .command('import')
      .description('add every feed of an OPML file (bad or duplicate entries are reported and skipped)'),
  )
    .argument('<file>', 'OPML file')
    .option('--tier <n>', 'tier for outlines without a tier attribute', parseTier, 3)
    .action(async (file: string, o: Common & { tier: number }) =>
      withFeeds(o, async (rt) => {
        let xml: string;
        try {
          xml = readFileSync(file, 'utf8');
        } catch (error) {
          throw new CliError(`bellwether feeds import: cannot read ${file}: ${(error as Error).message}`, 'usage', {
            cause: error,
          });
        }
        const r = await importOpml(rt.db, xml, {
          now: rt.now(),
          allowPrivate: rt.config.allowPrivateFeeds,
          defaultTier: o.tier,
        });
        for (const url of r.added) out(`added ${url}`);
        for (const s of r.skipped) out(`skipped ${s.url}: ${s.reason}`);
        out(`${r.added.length} added, ${r.skipped.length} skipped`);
      }),
    );

  common(feeds.command('export').description('print the feeds as OPML 2.0 (or write them to --output)'))
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .action(async (o: Common & { output?: string }) =>
      withFeeds(o, async (rt) => {
        const xml = await exportOpml(rt.db, rt.now(), `${rt.pack.pack.title} — Bellwether feeds`);
        if (o.output) writeFileSync(o.output, xml);
        else process.stdout.write(xml);
      }),
    );
}
