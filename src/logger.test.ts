// The logger's contract: message-first calls, JSON lines with level, time, msg and the fields; readable
// lines on request; levels filter; silent writes nothing.
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture(level: Parameters<typeof createLogger>[0], format?: 'json' | 'pretty') {
  const lines: string[] = [];
  const log = createLogger(level, (l) => lines.push(l), { format, env: {} });
  return { log, lines };
}

describe('createLogger', () => {
  it('writes one JSON object per event: level, ISO time, msg and the fields', () => {
    const { log, lines } = capture('info', 'json');
    log.info('feed polled', { url: 'https://example.org/feed.xml', new: 3 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({
      level: 'info',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      msg: 'feed polled',
      url: 'https://example.org/feed.xml',
      new: 3,
    });
  });

  it('filters below its level and writes nothing when silent', () => {
    const warn = capture('warn', 'json');
    warn.log.debug('d');
    warn.log.info('i');
    warn.log.warn('w');
    warn.log.error('e', { code: 'x' });
    expect(warn.lines.map((l) => (JSON.parse(l) as { level: string }).level)).toEqual(['warn', 'error']);
    const silent = capture('silent', 'json');
    silent.log.error('nothing');
    expect(silent.lines).toEqual([]);
  });

  it('writes readable lines, without colour codes, in the pretty format', () => {
    const { log, lines } = capture('info', 'pretty');
    log.warn('pack warning: something', { file: 'packs/x.yaml' });
    const text = lines.join('\n');
    expect(text).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] WARN: pack warning: something/);
    expect(text).toContain('file: "packs/x.yaml"');
    expect(text).not.toContain('\u001b[');
  });
});
