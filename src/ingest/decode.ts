// Bytes → text: BOM, then valid UTF-8, then the HTTP charset, then the XML declaration, then iconv-lite; strips XML-illegal characters.
import iconv from 'iconv-lite';

const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Lossy = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

// Characters XML 1.0 forbids (§2.2), plus lone surrogates: sax rejects or mangles them.
const ILLEGAL_XML =
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Removes characters that are illegal in XML 1.0 (control characters, U+FFFE/FFFF, lone surrogates). */
const SUSPECT = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF\uD800-\uDFFF]/;

export function stripIllegalXmlChars(text: string): string {
  // The full pattern has look-arounds; most feeds have nothing to strip, so look first.
  return SUSPECT.test(text) ? text.replace(ILLEGAL_XML, '') : text;
}

function sniffUnicode(body: Buffer): { encoding: string; skip: number } | null {
  const [a, b, c, d] = body;
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', skip: 3 };
  if (a === 0x00 && b === 0x00 && c === 0xfe && d === 0xff) return { encoding: 'utf-32be', skip: 4 };
  if (a === 0xff && b === 0xfe && c === 0x00 && d === 0x00) return { encoding: 'utf-32le', skip: 4 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', skip: 2 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', skip: 2 };
  // No BOM, but "<?" in UTF-16 (XML 1.0 Appendix F).
  if (a === 0x3c && b === 0x00 && c === 0x3f && d === 0x00) return { encoding: 'utf-16le', skip: 0 };
  if (a === 0x00 && b === 0x3c && c === 0x00 && d === 0x3f) return { encoding: 'utf-16be', skip: 0 };
  return null;
}

/** The `charset` parameter of a Content-Type header, lower-cased, or null. */
export function charsetFromContentType(contentType: string | null): string | null {
  const m = /;\s*charset\s*=\s*(["']?)([^"';\s]+)\1/i.exec(contentType ?? '');
  return m?.[2] ? m[2].toLowerCase() : null;
}

/** The `encoding` pseudo-attribute of the XML declaration, lower-cased, or null. */
export function charsetFromXmlDeclaration(body: Buffer): string | null {
  const head = body.subarray(0, 1024).toString('latin1');
  const m = /<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(head);
  return m?.[1] ? m[1].toLowerCase() : null;
}

function canonical(name: string): string | null {
  const n = name.toLowerCase();
  if (n === 'us-ascii' || n === 'ascii' || n === 'iso-8859-1' || n === 'latin1' || n === 'latin-1')
    return 'windows-1252';
  if (/^utf-?(16|32)/.test(n) || n === 'ucs-2') return null; // only trusted with a BOM or a sniffed "<?"
  return iconv.encodingExists(n) ? n : null;
}

function isUtf8(name: string): boolean {
  return /^utf-?8$/i.test(name);
}

/** Decodes a feed body to text and names the encoding used. */
export function decodeFeed(body: Buffer, contentType: string | null): { text: string; encoding: string } {
  const unicode = sniffUnicode(body);
  if (unicode) {
    const text = iconv.decode(body.subarray(unicode.skip), unicode.encoding, { stripBOM: true });
    return { text: stripIllegalXmlChars(text), encoding: unicode.encoding };
  }
  try {
    return { text: stripIllegalXmlChars(utf8Strict.decode(body)), encoding: 'utf-8' };
  } catch {
    // Not valid UTF-8: believe the declarations, HTTP first (RFC 7303 §3.2 gives it priority).
  }
  const declared = [charsetFromContentType(contentType), charsetFromXmlDeclaration(body)].filter(
    (c): c is string => c !== null,
  );
  for (const name of declared) {
    if (isUtf8(name)) continue; // already known not to be valid UTF-8
    const enc = canonical(name);
    if (enc) return { text: stripIllegalXmlChars(iconv.decode(body, enc)), encoding: enc };
  }
  if (declared.some(isUtf8)) return { text: stripIllegalXmlChars(utf8Lossy.decode(body)), encoding: 'utf-8' };
  // Undeclared 8-bit text: windows-1252 maps every byte, so nothing is dropped.
  return { text: stripIllegalXmlChars(iconv.decode(body, 'windows-1252')), encoding: 'windows-1252' };
}
