// Serving under a path prefix (BASE_URL=https://example.org/bellwether/ behind a reverse proxy). The app's
// routes stay at the root; at the edge, a request for /bellwether/x is served as /x (a proxy that strips the
// prefix itself works too), and on the way out every root-relative link in HTML (href, src, action,
// formaction, poster, data-*-href) and every root-relative redirect gets the prefix. Views other branches add
// need no change: no view has to remember the prefix, so none can forget it.
import type { Hono, MiddlewareHandler } from 'hono';

/** The path of BASE_URL without its trailing slash: '' at the root, '/bellwether' under a prefix. */
export function pathPrefix(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, '');
}

// An attribute holding a URL whose value starts with one '/' (not '//', a protocol-relative URL). hono/jsx
// always writes attributes with double quotes and escapes a quote inside text as &quot;, so page text can
// never match.
const URL_ATTRIBUTE = /(\s(?:href|src|action|formaction|poster|data-[\w-]*href)=")\/(?!\/)/g;

/** Adds `prefix` to root-relative links in HTML bodies and to root-relative Location headers. */
export function prefixLinks(prefix: string): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const location = c.res.headers.get('Location');
    if (location?.startsWith('/') && !location.startsWith('//')) c.res.headers.set('Location', prefix + location);
    if (!c.res.headers.get('Content-Type')?.startsWith('text/html') || c.res.body === null) return;
    const html = (await c.res.text()).replace(URL_ATTRIBUTE, `$1${prefix}/`);
    const headers = new Headers(c.res.headers);
    headers.delete('Content-Length');
    c.res = new Response(html, { status: c.res.status, statusText: c.res.statusText, headers });
  };
}

/**
 * The app as served under `prefix`: /prefix/x is handled as /x, and so is /x (the proxy stripped the
 * prefix already). At the root (prefix '') it is the app itself.
 */
export function underPrefix(app: Hono, prefix: string): Hono['fetch'] {
  if (prefix === '') return app.fetch;
  return (request, env, ctx) => {
    const url = new URL(request.url);
    if (url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))
      url.pathname = url.pathname.slice(prefix.length) || '/';
    return app.fetch(new Request(url, request), env, ctx);
  };
}
