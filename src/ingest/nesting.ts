// Bounds element nesting before markup reaches htmlparser2, whose element stack costs time in
// proportion to its depth on every tag (Array#unshift/shift/indexOf): 800,000 unclosed <d> took
// minutes. Tags deeper than the limit are dropped; their text stays. One linear pass.
import { MAX_NESTING_DEPTH } from './limits.ts';

/** htmlparser2's void elements (never pushed in HTML mode). */
const VOID = new Set([
  'area',
  'base',
  'basefont',
  'br',
  'col',
  'command',
  'embed',
  'frame',
  'hr',
  'image',
  'img',
  'input',
  'keygen',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
/** HTML elements whose content is text up to their own closing tag. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title', 'xmp', 'iframe', 'noembed', 'noframes']);
/** The commonest implied closes (htmlparser2 knows more; missing some only overestimates the depth). */
const P_CLOSERS = new Set(
  'p h1 h2 h3 h4 h5 h6 address article aside blockquote div dl figcaption figure footer header hr main nav ol pre section table ul'.split(
    ' ',
  ),
);
function impliedCloses(name: string): ReadonlySet<string> | null {
  if (name === 'li') return new Set(['li']);
  if (name === 'dd' || name === 'dt') return new Set(['dd', 'dt']);
  if (name === 'tr') return new Set(['tr', 'th', 'td']);
  if (name === 'td' || name === 'th') return new Set(['th', 'td']);
  return P_CLOSERS.has(name) ? new Set(['p']) : null;
}

const RAW_TEXT_END = new Map([...RAW_TEXT].map((name) => [name, new RegExp(`</${name}`, 'gi')]));

const TAG_END = /(?:[^>"']|"[^"]*"|'[^']*')*>/y;

export interface NestingOptions {
  /** HTML rules (case-insensitive names, void and raw-text elements, `<x/>` opens); default XML. */
  html?: boolean;
  maxDepth?: number;
}

/** A tag name ends at white space, '/' or '>'. */
function endsName(code: number): boolean {
  return code === 0x3e || code === 0x2f || code === 0x20 || (code >= 0x09 && code <= 0x0d) || Number.isNaN(code);
}

function nameAt(text: string, at: number): string {
  let end = at;
  while (!endsName(text.charCodeAt(end))) end++;
  return text.slice(at, end);
}

/** Index just past `end` (searched from `from`), or the text's length when it never comes. */
function skipPast(text: string, from: number, end: string): number {
  const i = text.indexOf(end, from);
  return i < 0 ? text.length : i + end.length;
}

/**
 * `markup` with every element tag nested deeper than `maxDepth` removed (text kept). Markup that
 * stays within the limit is returned unchanged (the same string).
 */
export function limitNesting(markup: string, options: NestingOptions = {}): string {
  const html = options.html ?? false;
  const max = options.maxDepth ?? MAX_NESTING_DEPTH;
  const stack: string[] = [];
  const out: string[] = [];
  let copied = 0; // markup before this index is in `out` (or was dropped)
  let i = 0;
  while (i < markup.length) {
    const lt = markup.indexOf('<', i);
    if (lt < 0) break;
    const next = markup[lt + 1] ?? '';
    if (markup.startsWith('<!--', lt)) {
      i = skipPast(markup, lt + 4, '-->');
    } else if (!html && markup.startsWith('<![CDATA[', lt)) {
      i = skipPast(markup, lt + 9, ']]>');
    } else if (next === '!' || next === '?') {
      i = skipPast(markup, lt + 2, '>');
    } else if (next === '/') {
      const raw = nameAt(markup, lt + 2);
      const name = html ? raw.toLowerCase() : raw;
      const at = stack.lastIndexOf(name); // the parsers close the innermost match, and what it holds
      if (at >= 0) stack.length = at;
      i = skipPast(markup, lt + 2, '>');
    } else if (next !== '' && !endsName(next.charCodeAt(0)) && (!html || /[A-Za-z]/.test(next))) {
      const raw = nameAt(markup, lt + 1);
      const name = html ? raw.toLowerCase() : raw;
      let end = lt + 1 + raw.length;
      if (markup[end] === '>') end++;
      else {
        TAG_END.lastIndex = end;
        if (!TAG_END.test(markup)) break; // an open tag that never ends: the parser sees no more tags
        end = TAG_END.lastIndex;
      }
      const selfClosing = markup[end - 2] === '/';
      const closes = html ? impliedCloses(name) : null;
      while (closes && stack.length > 0 && closes.has(stack[stack.length - 1]!)) stack.pop();
      const pushes = html ? !VOID.has(name) : !selfClosing;
      if (pushes && stack.length >= max) {
        if (lt > copied) out.push(markup.slice(copied, lt));
        copied = end;
      } else if (pushes) {
        stack.push(name);
      }
      i = end;
      if (html && RAW_TEXT.has(name) && copied !== end) {
        // Text up to </name>: a '<' inside is no tag. (Dropped raw-text elements keep their text.)
        const close = RAW_TEXT_END.get(name)!;
        close.lastIndex = end;
        i = close.exec(markup)?.index ?? markup.length;
      }
    } else {
      i = lt + 1;
    }
  }
  if (copied === 0) return markup;
  out.push(markup.slice(copied));
  return out.join('');
}
