// Security middleware: headers (CSP without inline script), body size limit, CORS for public GETs.
import type { Hono, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError } from './errors.ts';

export const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** The admin API: the instance's (/api/v1/admin…) and each question's (/api/v1/questions/ID/admin…). */
const ADMIN_PATH = /^\/api\/v1\/(questions\/[^/]+\/)?admin(\/|$)/;

/** The response headers every route sends (CSP, nosniff, frame-ancestors, Referrer-Policy, HSTS, ...). */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'none'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    crossOriginEmbedderPolicy: false,
  });
}

export function registerSecurity(app: Hono): void {
  app.use('*', securityHeaders());
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'too_large', `request body over ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  const openCors = cors({ origin: '*', allowMethods: ['GET', 'HEAD', 'OPTIONS'], maxAge: 600 });
  app.use('/api/*', async (c, next) => (ADMIN_PATH.test(c.req.path) ? next() : openCors(c, next)));
  app.use('/feed.json', openCors);
}
