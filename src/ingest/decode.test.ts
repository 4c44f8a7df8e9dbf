// Unit tests for decoding: BOM → valid UTF-8 → HTTP charset → XML declaration → iconv-lite, and XML-illegal characters.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { charsetFromContentType, charsetFromXmlDeclaration, decodeFeed } from './decode.ts';

const uk = 'Переговори про мир: Київ і Брюссель';
const feed = (title: string, enc: string): string =>
  `<?xml version="1.0" encoding="${enc}"?><rss version="2.0"><channel><title>${title}</title></channel></rss>`;

describe('decodeFeed', () => {
  it('decodes windows-1251 named by header and declaration', () => {
    const r = decodeFeed(
      iconv.encode(feed(uk, 'windows-1251'), 'windows-1251'),
      'application/rss+xml; charset=windows-1251',
    );
    expect(r.encoding).toBe('windows-1251');
    expect(r.text).toContain(uk);
    expect(r.text).not.toContain('\uFFFD');
  });
  it('decodes koi8-r named only by the declaration (text/xml, no charset)', () => {
    const ru = 'Переговоры о мире';
    const r = decodeFeed(iconv.encode(feed(ru, 'koi8-r'), 'koi8-r'), 'text/xml');
    expect(r).toMatchObject({ encoding: 'koi8-r' });
    expect(r.text).toContain(ru);
  });
  it('prefers valid UTF-8 over a cp1251 declaration', () => {
    expect(decodeFeed(Buffer.from(feed(uk, 'windows-1251')), null)).toMatchObject({ encoding: 'utf-8' });
    expect(decodeFeed(Buffer.from(feed(uk, 'windows-1251')), null).text).toContain(uk);
  });
  it('lets the HTTP header beat a wrong utf-8 declaration on cp1251 bytes', () => {
    const r = decodeFeed(iconv.encode(feed(uk, 'utf-8'), 'windows-1251'), 'text/xml; charset="CP1251"');
    expect(r.encoding).toBe('cp1251');
    expect(r.text).toContain(uk);
  });
  it('lets a BOM beat the header', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(feed(uk, 'utf-16'), 'utf-16le')]);
    expect(decodeFeed(utf16, 'text/xml; charset=windows-1251')).toMatchObject({ encoding: 'utf-16le' });
    expect(decodeFeed(utf16, 'text/xml; charset=windows-1251').text.startsWith('<?xml')).toBe(true);
    const utf8bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(feed(uk, 'utf-8'))]);
    expect(decodeFeed(utf8bom, 'text/xml; charset=koi8-r').text).toContain(uk);
  });
  it('strips control characters and lone surrogates, keeps tabs and newlines', () => {
    const r = decodeFeed(Buffer.from('<t>a\u0000b\u0008c\u000Bd\te\nf\uFFFF</t>'), null);
    expect(r.text).toBe('<t>abcd\te\nf</t>');
    expect(
      decodeFeed(Buffer.from([0x3c, 0x74, 0x3e, 0xed, 0xa0, 0x80, 0x3c]), 'text/xml; charset=utf-8').text,
    ).not.toMatch(/[\uD800-\uDFFF]/);
  });
  it('falls back to windows-1252 for undeclared 8-bit bytes, losing nothing', () => {
    const r = decodeFeed(Buffer.from([0x3c, 0x74, 0x3e, 0x45, 0x73, 0x70, 0x61, 0xf1, 0x61, 0x3c]), null);
    expect(r).toEqual({ text: '<t>España<', encoding: 'windows-1252' });
  });
  it('ignores unknown charsets', () => {
    expect(decodeFeed(Buffer.from([0xe9]), 'text/xml; charset=x-bogus').encoding).toBe('windows-1252');
  });
});

describe('charset sources', () => {
  it('reads the Content-Type charset', () => {
    expect(charsetFromContentType('text/xml; charset="KOI8-R"')).toBe('koi8-r');
    expect(charsetFromContentType("text/rss+xml;charset= 'us-ascii'")).toBe('us-ascii');
    expect(charsetFromContentType('text/xml;charset = us-ascii')).toBe('us-ascii');
    expect(charsetFromContentType('text/xml')).toBeNull();
    expect(charsetFromContentType(null)).toBeNull();
  });
  it('reads the XML declaration', () => {
    expect(charsetFromXmlDeclaration(Buffer.from("<?xml version='1.0' encoding='ISO-8859-5'?><a/>"))).toBe(
      'iso-8859-5',
    );
    expect(charsetFromXmlDeclaration(Buffer.from('<a/>'))).toBeNull();
  });
});
