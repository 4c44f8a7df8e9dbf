// CSV exports of the history, the evidence and the alerts: linked from the pages, documented, safe in a spreadsheet.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../src/server/api/csv.ts';
import { createApp } from '../src/server/app.ts';
import { insertArticle, insertTag, openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
let t: TestDb;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => {
    seedRealistic(db, t.pack.pack, { now, days: 30, perDay: 10 });
    const id = insertArticle(db, {
      feedId: null,
      title: '=HYPERLINK("https://evil.example","click"), with "quotes"',
      publishedAt: '2026-11-21T17:00:00.000Z',
    });
    insertTag(db, {
      articleId: id,
      packId: 'ukraine-peace',
      indicatorId: 'envoy_talks',
      snippet: 'talks\nresume',
      at: '2026-11-21T17:00:00.000Z',
    });
  });
  app = createApp(testDeps(t, { now: () => now }));
});
afterAll(() => t.close());

/** A small RFC 4180 reader for the test: quoted fields, doubled quotes, CRLF rows. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('exports', () => {
  it('history.csv has one column per scenario and matches the JSON history', async () => {
    const res = await app.request('/api/v1/history.csv');
    expect(res.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('Content-Disposition')).toBe('attachment; filename="ukraine-peace-history.csv"');
    const rows = parseCsv(await res.text());
    expect(rows[0]).toEqual(['t', 'deal', 'frozen', 'collapse']);
    const json = (await (await app.request('/api/v1/history')).json()) as {
      points: { t: string; probabilities: Record<string, number> }[];
    };
    expect(rows.length - 1).toBe(json.points.length);
    expect(Number(rows[1]![3])).toBe(json.points[0]!.probabilities['collapse']);
    expect((await app.request('/api/v1/history.csv?from=nope')).status).toBe(400);
  });

  it('evidence.csv is one row per tag and defuses formulas', async () => {
    const rows = parseCsv(await (await app.request('/api/v1/evidence.csv?indicator=envoy_talks')).text());
    expect(rows[0]![0]).toBe('published_at');
    expect(rows.slice(1).every((r) => r[7] === 'envoy_talks')).toBe(true);
    const hostile = rows.find((r) => r[2]!.includes('HYPERLINK'))!;
    expect(hostile[2]).toBe(`'=HYPERLINK("https://evil.example","click"), with "quotes"`);
    expect(hostile[11]).toBe('talks\nresume');
    expect((await app.request('/api/v1/evidence.csv?limit=0')).status).toBe(400);
  });

  it('alerts.csv lists alerts with their kind in words and a link', async () => {
    const rows = parseCsv(await (await app.request('/api/v1/alerts.csv')).text());
    expect(rows[0]).toEqual(['id', 'created_at', 'kind', 'kind_name', 'title', 'scenario', 'stories', 'url']);
    expect(rows.length).toBeGreaterThan(1);
    expect(rows[1]![7]).toMatch(/\/alerts\/\d+$/);
  });

  it('the pages link to the exports and the OpenAPI document describes them', async () => {
    expect(await (await app.request('/')).text()).toContain('href="/api/v1/history.csv"');
    expect(await (await app.request('/evidence?indicator=envoy_talks')).text()).toContain(
      'href="/api/v1/evidence.csv?indicator=envoy_talks"',
    );
    expect(await (await app.request('/alerts')).text()).toContain('href="/api/v1/alerts.csv"');
    const doc = (await (await app.request('/api/openapi.json')).json()) as { paths: Record<string, unknown> };
    for (const p of ['/api/v1/history.csv', '/api/v1/evidence.csv', '/api/v1/alerts.csv'])
      expect(doc.paths[p]).toBeTruthy();
  });

  it('csvCell quotes and escapes as RFC 4180 asks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('@cmd')).toBe("'@cmd");
    expect(csvCell(-0.5)).toBe('-0.5');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['a'], [[1], ['x']])).toBe('a\r\n1\r\nx\r\n');
  });
});
