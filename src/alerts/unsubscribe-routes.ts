// The unsubscribe page: GET shows a confirmation form, POST unsubscribes (also the RFC 8058
// one-click POST that mail clients send to the List-Unsubscribe URL). The token is the authority.
import { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.ts';
import { escapeHtml } from './render.ts';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title></head><body style="font-family:sans-serif;max-width:36rem;margin:2rem auto;padding:0 1rem">
<h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** Tokens are 32+ url-safe characters; anything else is not worth a query. */
const TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export function createUnsubscribeRoutes(db: Kysely<Database>): Hono {
  const app = new Hono();
  const find = (token: string) =>
    TOKEN.test(token)
      ? db
          .selectFrom('subscribers')
          .select(['id', 'email', 'unsubscribed_at'])
          .where('token', '=', token)
          .executeTakeFirst()
      : Promise.resolve(undefined);
  const notFound = () =>
    page(
      'Link not recognised',
      '<p>This unsubscribe link is not valid (it may be incomplete). Nothing was changed.</p>',
    );

  app.get('/unsubscribe/:token', async (c) => {
    const sub = await find(c.req.param('token'));
    if (!sub) return c.html(notFound(), 404);
    if (sub.unsubscribed_at)
      return c.html(page('Already unsubscribed', `<p>${escapeHtml(sub.email)} receives no more alerts.</p>`));
    const action = `/unsubscribe/${encodeURIComponent(c.req.param('token'))}`;
    return c.html(
      page(
        'Unsubscribe from Bellwether alerts',
        `<p>Stop sending alerts to <strong>${escapeHtml(sub.email)}</strong>?</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
      ),
    );
  });

  app.post('/unsubscribe/:token', async (c) => {
    const sub = await find(c.req.param('token'));
    if (!sub) return c.html(notFound(), 404);
    if (!sub.unsubscribed_at) {
      await db
        .updateTable('subscribers')
        .set({ unsubscribed_at: new Date().toISOString() })
        .where('id', '=', sub.id)
        .execute();
    }
    return c.html(page('Unsubscribed', `<p>${escapeHtml(sub.email)} will receive no more alerts.</p>`));
  });
  return app;
}
