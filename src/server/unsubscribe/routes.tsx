// The unsubscribe page: GET shows a confirmation form, POST unsubscribes (also the RFC 8058 one-click POST
// that mail clients send to the List-Unsubscribe URL). The per-subscriber token is the authority.
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { Kysely } from 'kysely';
import { findByToken, unsubscribeByToken } from '../../alerts/subscribers.ts';
import type { Database } from '../../db/schema.ts';

function Page(props: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <link rel="stylesheet" href="/static/style.css" />
      </head>
      <body>
        <main id="main" class="narrow">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

const NotRecognised = () => (
  <Page title="Link not recognised">
    <p>This unsubscribe link is not valid (it may be incomplete). Nothing was changed.</p>
  </Page>
);

export function unsubscribeRoutes(db: Kysely<Database>, now: () => Date): Hono {
  const app = new Hono();

  app.get('/unsubscribe/:token', async (c) => {
    const token = c.req.param('token');
    const sub = await findByToken(db, token);
    if (!sub) return c.html(<NotRecognised />, 404);
    if (sub.unsubscribed_at)
      return c.html(
        <Page title="Already unsubscribed">
          <p>{sub.email} receives no more alerts.</p>
        </Page>,
      );
    return c.html(
      <Page title="Unsubscribe from Bellwether alerts">
        <p>
          Stop sending alerts to <strong>{sub.email}</strong>?
        </p>
        <form method="post" action={`/unsubscribe/${encodeURIComponent(token)}`}>
          <button type="submit">Unsubscribe</button>
        </form>
      </Page>,
    );
  });

  app.post('/unsubscribe/:token', async (c) => {
    const done = await unsubscribeByToken(db, c.req.param('token'), now());
    if (!done) return c.html(<NotRecognised />, 404);
    return c.html(
      <Page title="Unsubscribed">
        <p>{done.email} will receive no more alerts.</p>
      </Page>,
    );
  });
  return app;
}
