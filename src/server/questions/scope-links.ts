// One question's pages are the default question's pages served under /questions/ID: their links to the
// question's own pages and API are moved under that prefix, the instance-wide ones (static files, feeds,
// other questions, the OpenAPI document) are left alone.
import { questionPath } from './model.ts';

/** First path segments that belong to one question (pages, exports, the JSON Feed). */
const QUESTION_PAGES = new Set(['', 'scenarios', 'days', 'indicators', 'evidence', 'alerts', 'feed.json']);
/** API segments under /api/v1 that are not per question. */
const INSTANCE_API = new Set(['questions', 'admin', 'feeds']);

/** Where a root-relative link of a question's page points once the page is served under the question's prefix. */
export function scopePath(target: string, id: string): string {
  const base = questionPath(id);
  const api = /^\/api\/v1\/([^/?#]*)(.*)$/.exec(target);
  if (api) return INSTANCE_API.has(api[1]!) ? target : `/api/v1${base}/${api[1]}${api[2]}`;
  const first = /^\/([^/?#]*)/.exec(target)?.[1] ?? '';
  return QUESTION_PAGES.has(first) ? `${base}${target}` : target;
}

/**
 * Rewrites the root-relative links (href, action, data-day-href) of a page rendered by the server's own
 * views, and points the live script at the question's stream. Only the server's markup is touched: feed
 * text is escaped by JSX, so it cannot contain an attribute, and links to originals are absolute.
 */
export function scopeLinks(html: string, id: string): string {
  return html
    .replace(/\b(href|action|data-day-href)="(\/(?!\/)[^"]*)"/g, (_, attr: string, target: string) => {
      return `${attr}="${scopePath(target, id)}"`;
    })
    .replace(/<body\b/, `<body data-stream="/api/v1${questionPath(id)}/stream"`);
}
