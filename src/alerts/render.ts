// Renders one email (subject, text, HTML, list headers) for a batch of alerts or a digest.
// All feed text is escaped for HTML; subjects are stripped of CR/LF so no text can add a header.
import { pct, subjectLine } from './format.ts';
import { ALERT_KIND_NAMES, type AlertData, type AlertKind, type StoryLink } from './types.ts';

export interface RenderAlert {
  /** What kind of alert it is; the email shows its human name ("Signal changed"), never the id. */
  kind?: AlertKind;
  title: string;
  body: string;
  createdAt: string;
  data: AlertData;
}

export interface RenderContext {
  baseUrl: string;
  packTitle: string;
  token: string;
  digest?: boolean;
}

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  unsubscribeUrl: string;
}

const ESC: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESC[c]!);
}

/** Only http(s) links become anchors; anything else (javascript:, data:) stays text. */
function safeUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.toString() : null;
  } catch {
    return null;
  }
}

function subjectFor(alerts: RenderAlert[], ctx: RenderContext): string {
  if (ctx.digest)
    return subjectLine(`${ctx.packTitle}: daily digest — ${alerts.length} alert${alerts.length === 1 ? '' : 's'}`);
  const first = alerts[0]!.title;
  return subjectLine(alerts.length === 1 ? first : `${first} (+${alerts.length - 1} more)`);
}

function probabilityLines(data: AlertData): Array<{ name: string; now: string; before: string | null }> {
  return Object.entries(data.probabilities).map(([id, p]) => {
    const before = data.previous?.[id];
    return { name: data.scenarioNames[id] ?? id, now: pct(p), before: before === undefined ? null : pct(before) };
  });
}

function textFor(
  alerts: RenderAlert[],
  latest: AlertData,
  stories: StoryLink[],
  ctx: RenderContext,
  unsub: string,
): string {
  const lines: string[] = [ctx.digest ? `Daily digest — ${ctx.packTitle}` : ctx.packTitle, ''];
  for (const a of alerts) {
    lines.push(`* ${a.kind ? `${ALERT_KIND_NAMES[a.kind]}: ` : ''}${subjectLine(a.title, 400)}`);
    for (const s of a.data.shifted) lines.push(`  ${subjectLine(s, 400)}`);
  }
  const probs = probabilityLines(latest);
  if (probs.length > 0) {
    lines.push('', 'Current probabilities:');
    for (const p of probs) lines.push(`  ${p.name}: ${p.now}${p.before ? ` (was ${p.before})` : ''}`);
  }
  if (stories.length > 0) {
    lines.push('', 'Top stories:');
    for (const s of stories)
      lines.push(`  - ${subjectLine(s.title, 300)}${safeUrl(s.url) ? `\n    ${safeUrl(s.url)}` : ''}`);
  }
  lines.push('', `Dashboard: ${ctx.baseUrl}/`, `Unsubscribe: ${unsub}`, '');
  return lines.join('\n');
}

function htmlFor(
  alerts: RenderAlert[],
  latest: AlertData,
  stories: StoryLink[],
  ctx: RenderContext,
  unsub: string,
): string {
  const e = escapeHtml;
  const items = alerts
    .map(
      (a) =>
        `<li>${a.kind ? `${e(ALERT_KIND_NAMES[a.kind])}: ` : ''}<strong>${e(a.title)}</strong>${a.data.shifted.map((s) => `<br>${e(s)}`).join('')}</li>`,
    )
    .join('');
  const probs = probabilityLines(latest)
    .map((p) => `<tr><td>${e(p.name)}</td><td>${e(p.now)}</td><td>${p.before ? `was ${e(p.before)}` : ''}</td></tr>`)
    .join('');
  const links = stories
    .map((s) => {
      const url = safeUrl(s.url);
      return `<li>${url ? `<a href="${e(url)}">${e(s.title)}</a>` : e(s.title)}</li>`;
    })
    .join('');
  return [
    '<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:sans-serif">',
    `<h2>${e(ctx.digest ? `Daily digest — ${ctx.packTitle}` : ctx.packTitle)}</h2>`,
    `<ul>${items}</ul>`,
    probs ? `<h3>Current probabilities</h3><table>${probs}</table>` : '',
    links ? `<h3>Top stories</h3><ul>${links}</ul>` : '',
    `<p><a href="${e(ctx.baseUrl)}/">Open the dashboard</a></p>`,
    `<p style="font-size:small"><a href="${e(unsub)}">Unsubscribe</a></p>`,
    '</body></html>',
  ].join('\n');
}

export function renderEmail(alerts: RenderAlert[], ctx: RenderContext): RenderedEmail {
  if (alerts.length === 0) throw new Error('renderEmail: no alerts');
  const sorted = [...alerts].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const latest =
    [...sorted].reverse().find((a) => Object.keys(a.data.probabilities).length > 0)?.data ?? sorted[0]!.data;
  const seen = new Set<string>();
  const stories = sorted
    .flatMap((a) => a.data.stories)
    .filter((s) => {
      const k = s.url ?? s.title;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .slice(0, 8);
  const unsub = `${ctx.baseUrl}/unsubscribe/${encodeURIComponent(ctx.token)}`;
  return {
    subject: subjectFor(sorted, ctx),
    text: textFor(sorted, latest, stories, ctx, unsub),
    html: htmlFor(sorted, latest, stories, ctx, unsub),
    // RFC 2369 / RFC 8058: one-click unsubscribe by POST to the same URL.
    headers: {
      'List-Unsubscribe': `<${unsub}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      ...questionHeader(sorted),
    },
    unsubscribeUrl: unsub,
  };
}

/** The questions (pack ids) a message is about, for mail filters: X-Bellwether-Question: a, b. */
function questionHeader(alerts: readonly RenderAlert[]): Record<string, string> {
  const ids = [...new Set(alerts.flatMap((a) => (a.data.questionId ? [a.data.questionId] : [])))];
  return ids.length > 0 ? { 'X-Bellwether-Question': ids.join(', ') } : {};
}
