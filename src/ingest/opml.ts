// OPML 2.0 import and export of feeds. Our export adds `tier`, `interval` and (when set) `schedule`
// attributes on each outline (unknown attributes are allowed by OPML 2.0) so a round trip keeps them.
import * as cheerio from 'cheerio/slim';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { FeedError, addFeed } from './feeds.ts';

export interface OpmlFeed {
  url: string;
  name: string | null;
  tier: number | null;
  language: string | null;
  intervalMinutes: number | null;
  /** A cron expression (UTC); checked when the feed is added (a bad one skips the outline with the reason). */
  schedule: string | null;
}

function intAttr(v: string | undefined, min: number, max: number): number | null {
  if (v === undefined || !/^\d+$/.test(v.trim())) return null;
  const n = Number(v);
  return n >= min && n <= max ? n : null;
}

/** Every outline with an xmlUrl, at any depth (folders are flattened). Throws FeedError on non-OPML input. */
export function parseOpml(xml: string): OpmlFeed[] {
  const $ = cheerio.load(xml, { xml: { xmlMode: true, decodeEntities: true } });
  if ($('opml').length === 0) throw new FeedError('bad_opml', 'not an OPML document (no <opml> root element)');
  const out: OpmlFeed[] = [];
  $('outline[xmlUrl], outline[xmlurl]').each((_, el) => {
    const a = (el as { attribs?: Record<string, string> }).attribs ?? {};
    const url = (a.xmlUrl ?? a.xmlurl ?? '').trim();
    if (url === '') return;
    const name = (a.title ?? a.text ?? '').trim();
    const language = (a.language ?? '').trim().toLowerCase().slice(0, 2);
    out.push({
      url,
      name: name || null,
      tier: intAttr(a.tier, 1, 5),
      language: /^[a-z]{2}$/.test(language) ? language : null,
      intervalMinutes: intAttr(a.interval, 1, 10_080),
      schedule: a.schedule?.trim() || null,
    });
  });
  return out;
}

export interface ImportResult {
  added: string[];
  skipped: Array<{ url: string; reason: string }>;
}

/** Adds every feed of an OPML document; one bad or duplicate outline never stops the rest. */
export async function importOpml(
  db: Kysely<Database>,
  xml: string,
  options: { now: Date; allowPrivate: boolean; defaultTier: number },
): Promise<ImportResult> {
  const result: ImportResult = { added: [], skipped: [] };
  for (const f of parseOpml(xml)) {
    try {
      await addFeed(
        db,
        {
          url: f.url,
          tier: f.tier ?? options.defaultTier,
          name: f.name,
          language: f.language,
          intervalMinutes: f.intervalMinutes ?? undefined,
          schedule: f.schedule,
          origin: 'opml',
        },
        options.now,
        options.allowPrivate,
      );
      result.added.push(f.url);
    } catch (error) {
      if (!(error instanceof FeedError)) throw error;
      result.skipped.push({ url: f.url, reason: error.message });
    }
  }
  return result;
}

function attr(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '&#10;');
}

/** OPML 2.0 of every feed not removed (gone feeds included: they are still the user's list). */
export async function exportOpml(db: Kysely<Database>, now: Date, title = 'Bellwether feeds'): Promise<string> {
  const feeds = await db.selectFrom('feeds').selectAll().where('status', '!=', 'removed').orderBy('id').execute();
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    `  <head><title>${attr(title)}</title><dateCreated>${now.toUTCString()}</dateCreated></head>`,
    '  <body>',
    ...feeds.map((f) => {
      const name = attr(f.name ?? f.url);
      const lang = f.language ? ` language="${attr(f.language)}"` : '';
      const schedule = f.schedule ? ` schedule="${attr(f.schedule)}"` : '';
      return `    <outline type="rss" text="${name}" title="${name}" xmlUrl="${attr(f.url)}" tier="${f.tier}" interval="${f.poll_interval_minutes}"${schedule}${lang}/>`;
    }),
    '  </body>',
    '</opml>',
    '',
  ];
  return lines.join('\n');
}
