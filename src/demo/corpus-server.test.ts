// The demo's feed server shows each feed as it was at the simulated time, in its own encoding.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { type CorpusServer, splitFeed, startCorpusServer } from './corpus-server.ts';

const rss = (items: string[]) =>
  `<?xml version="1.0" encoding="windows-1251"?>\n<rss version="2.0"><channel><title>Волжский курьер</title>\n    ${items.join('\n    ')}\n</channel></rss>\n`;
const item = (title: string, date: string) => `<item><title>${title}</title><pubDate>${date}</pubDate></item>`;

let server: CorpusServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe('splitFeed', () => {
  it('separates head, dated items and tail', () => {
    const parts = splitFeed(
      rss([item('a', 'Mon, 03 Nov 2025 08:00:00 GMT'), item('b', 'Tue, 04 Nov 2025 08:00:00 GMT')]),
    );
    expect(parts.items.map((i) => new Date(i.at).toISOString())).toEqual([
      '2025-11-03T08:00:00.000Z',
      '2025-11-04T08:00:00.000Z',
    ]);
    expect(parts.head).toContain('<title>Волжский курьер</title>');
    expect(parts.tail).toContain('</rss>');
  });
});

describe('startCorpusServer', () => {
  it('serves only items published by the simulated time, in windows-1251, with conditional GET', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bw-corpus-'));
    writeFileSync(
      path.join(dir, 'outlets.json'),
      JSON.stringify([{ file: 'volga.xml', name: 'Volga', tier: 3, language: 'ru', encoding: 'windows-1251' }]),
    );
    writeFileSync(
      path.join(dir, 'volga.xml'),
      iconv.encode(
        rss([
          item('Переговоры в Женеве', 'Sun, 23 Nov 2025 10:00:00 GMT'),
          item('Удар по Киеву', 'Tue, 25 Nov 2025 03:00:00 GMT'),
        ]),
        'windows-1251',
      ),
    );
    let now = new Date('2025-11-24T00:00:00Z');
    server = await startCorpusServer({ dir, clock: () => now });
    const first = await fetch(`${server.url}/volga.xml`);
    expect(first.headers.get('content-type')).toBe('application/rss+xml; charset=windows-1251');
    const text = iconv.decode(Buffer.from(await first.arrayBuffer()), 'windows-1251');
    expect(text).toContain('Переговоры в Женеве');
    expect(text).not.toContain('Удар по Киеву');
    const etag = first.headers.get('etag')!;
    expect((await fetch(`${server.url}/volga.xml`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    now = new Date('2025-11-26T00:00:00Z');
    const later = await fetch(`${server.url}/volga.xml`, { headers: { 'if-none-match': etag } });
    expect(later.status).toBe(200);
    expect(iconv.decode(Buffer.from(await later.arrayBuffer()), 'windows-1251')).toContain('Удар по Киеву');
    expect((await fetch(`${server.url}/nothing.xml`)).status).toBe(404);
  });
});
