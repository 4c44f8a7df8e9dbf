// /feed.json against the JSON Feed 1.1 schema; every item link resolves; icon and favicon are real PNGs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/server/app.ts';
import { openTestDb, type TestDb, testDeps } from './helpers/seed.ts';
import { seedRealistic } from './helpers/seed-realistic.ts';

const now = new Date('2026-11-21T18:00:00Z');
const BASE = 'https://bellwether.example';
let t: TestDb;
let app: ReturnType<typeof createApp>;
type Feed = {
  icon: string;
  favicon: string;
  items: { id: string; url: string; _bellwether: { about: string; kind: string; scenario?: string } }[];
};

beforeAll(async () => {
  t = await openTestDb();
  await t.seed((db) => seedRealistic(db, t.pack.pack, { now, days: 60, perDay: 30, weightScale: 0.3 }));
  app = createApp(testDeps(t, { now: () => now, env: { BASE_URL: BASE } }));
});
afterAll(() => t.close());

const local = (url: string) => {
  expect(url.startsWith(BASE)).toBe(true);
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};

describe('JSON Feed', () => {
  it('validates against the JSON Feed 1.1 schema, and the schema catches a broken feed', async () => {
    const feed = (await (await app.request('/feed.json')).json()) as Feed;
    const schema = JSON.parse(
      readFileSync(path.resolve(import.meta.dirname, 'fixtures/jsonfeed-1.1.schema.json'), 'utf8'),
    );
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    expect(validate(feed), ajv.errorsText(validate.errors)).toBe(true);
    expect(feed.items.length).toBeGreaterThan(3);
    expect(validate({ ...feed, items: [{ id: 'x' }] })).toBe(false); // no content
    expect(validate({ ...feed, items: [{ ...feed.items[0], _bellwether: {} }] })).toBe(false); // no about
  });

  it('every item link resolves to a real page and each event appears once', async () => {
    const feed = (await (await app.request('/feed.json')).json()) as Feed;
    for (const item of feed.items) {
      const res = await app.request(local(item.url));
      expect(res.status, item.url).toBe(200);
      if (item.url.includes('/alerts/')) expect(await res.text()).toContain(`id="alert-${item.url.split('/').pop()}"`);
    }
    expect(new Set(feed.items.map((i) => i.id)).size).toBe(feed.items.length);
    const about = await app.request(local(feed.items[0]!._bellwether.about));
    expect(about.status).toBe(200);
    expect(await about.text()).toContain('_bellwether');
  });

  it('serves the icon and favicon as square PNGs', async () => {
    const feed = (await (await app.request('/feed.json')).json()) as Feed;
    for (const [url, size] of [
      [feed.icon, 512],
      [feed.favicon, 64],
    ] as const) {
      const res = await app.request(local(url));
      expect(res.headers.get('Content-Type')).toBe('image/png');
      const png = Buffer.from(await res.arrayBuffer());
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    expect(await (await app.request('/')).text()).toContain(
      '<link rel="icon" type="image/png" href="/static/favicon.png"/>',
    );
  });
});
