// The page shell shared by every dashboard page: head, skip link, navigation, footer.
import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  active: string;
  /** The newest snapshot id the page was rendered from; the live script compares it with the stream. */
  snapshotId: number | null;
  /** Banners above the page: things the reader must know (a question that has run out, what to do). */
  notices?: readonly string[];
  children?: Child;
}

/** A notice's `code` spans (commands to run) become <code>; the rest stays text, escaped by JSX. */
function Notice(props: { text: string }) {
  const parts = props.text.split('`');
  return (
    <p class="banner" role="status">
      {parts.map((part, i) => (i % 2 === 1 ? <code>{part}</code> : part))}
    </p>
  );
}

const NAV: [string, string][] = [
  ['/', 'Overview'],
  ['/indicators', 'Indicators'],
  ['/evidence', 'Evidence'],
  ['/alerts', 'Alerts'],
  ['/feeds', 'Feeds'],
  ['/track-record', 'Track record'],
];

/** Only http(s) links to originals are ever rendered (a feed can carry javascript: or data: URLs). */
export function safeHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

export function Layout(props: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · Bellwether`}</title>
        <link rel="icon" type="image/png" href="/static/favicon.png" />
        <link rel="apple-touch-icon" href="/static/icon.png" />
        <link rel="stylesheet" href="/static/style.css" />
        <link rel="alternate" type="application/feed+json" title="Bellwether alerts" href="/feed.json" />
        <script src="/static/live.js" defer></script>
      </head>
      <body data-snapshot={props.snapshotId === null ? '' : String(props.snapshotId)}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href="/">
            Bellwether
          </a>
          <nav aria-label="Main">
            <ul>
              {NAV.map(([href, label]) => (
                <li>
                  <a href={href} aria-current={props.active === href ? 'page' : undefined}>
                    {label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        </header>
        <main id="main" tabindex={-1}>
          {(props.notices ?? []).map((text) => (
            <Notice text={text} />
          ))}
          {props.children}
        </main>
        <footer class="bottom">
          <p>
            <a href="/api/openapi.json">API</a> · <a href="/feed.json">JSON Feed</a> ·{' '}
            <span id="live-status" role="status" aria-live="polite"></span>
          </p>
        </footer>
      </body>
    </html>
  );
}
