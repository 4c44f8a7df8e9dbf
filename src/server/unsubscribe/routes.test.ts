// The unsubscribe page through app.request: confirm form, POST (and one-click POST), bad tokens, escaping.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AlertsEnv, openAlertsEnv, subscribe } from '../../../test/helpers/alerts-env.ts';
import { unsubscribeRoutes } from './routes.tsx';

const NOW = new Date('2026-05-01T12:00:00Z');

let env: AlertsEnv;
beforeEach(async () => {
  env = await openAlertsEnv();
});
afterEach(async () => {
  await env.close();
});

describe('unsubscribe routes', () => {
  it('GET shows a confirm form and changes nothing; POST unsubscribes', async () => {
    const sub = await subscribe(env.db, 'reader@example.org');
    const app = unsubscribeRoutes(env.db, () => NOW);
    const get = await app.request(`/unsubscribe/${sub.token}`);
    expect(get.status).toBe(200);
    const html = await get.text();
    expect(html).toContain('<form method="post"');
    expect(html).toContain('reader@example.org');
    expect(
      (await env.db.selectFrom('subscribers').select('unsubscribed_at').executeTakeFirstOrThrow()).unsubscribed_at,
    ).toBeNull();
    const post = await app.request(`/unsubscribe/${sub.token}`, {
      method: 'POST',
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.status).toBe(200);
    expect(
      (await env.db.selectFrom('subscribers').select('unsubscribed_at').executeTakeFirstOrThrow()).unsubscribed_at,
    ).toBe(NOW.toISOString());
    expect(await (await app.request(`/unsubscribe/${sub.token}`)).text()).toContain('Already unsubscribed');
  });
  it('unknown or malformed tokens get 404 and change nothing', async () => {
    await subscribe(env.db, 'reader@example.org');
    const app = unsubscribeRoutes(env.db, () => NOW);
    expect((await app.request('/unsubscribe/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', { method: 'POST' })).status).toBe(404);
    const bad = await app.request(`/unsubscribe/${encodeURIComponent('<script>alert(1)</script>')}`);
    expect(bad.status).toBe(404);
    expect(await bad.text()).not.toContain('<script>');
    expect(
      (await env.db.selectFrom('subscribers').select('unsubscribed_at').executeTakeFirstOrThrow()).unsubscribed_at,
    ).toBeNull();
  });
});
