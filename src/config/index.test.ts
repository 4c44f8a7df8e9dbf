// Configuration: defaults, every variable's validation message, .env files.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, loadDotEnv, parseDatabaseUrl } from './index.ts';

describe('loadConfig', () => {
  it('runs on embedded defaults with no environment at all', () => {
    const c = loadConfig({}, '/srv/bw');
    expect(c.database).toEqual({ kind: 'sqlite', file: '/srv/bw/data/bellwether.db' });
    expect(c.packFile).toBe('/srv/bw/packs/ukraine-peace.yaml');
    expect(c.port).toBe(8080);
    expect(c.baseUrl).toBe('http://localhost:8080');
    expect(c.smtpUrl).toBeNull();
    expect(c.adminTokens).toEqual([]);
    expect(c.logLevel).toBe('info');
    expect(c.allowPrivateFeeds).toBe(false);
    expect(c.polymarketApiUrl).toBe('https://gamma-api.polymarket.com');
    expect(c.metaculusApiUrl).toBe('https://www.metaculus.com');
    expect(c.metaculusApiToken).toBeNull();
    expect(c.outboxMaxPerRun).toBe(2000);
    expect(loadConfig({ OUTBOX_MAX_PER_RUN: '14' }, '/srv/bw').outboxMaxPerRun).toBe(14);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT: expected an integer port 0-65535 (0 picks a free port) (got "eighty")'],
    [{ PORT: '70000' }, 'PORT: expected an integer port 0-65535 (0 picks a free port) (got "70000")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: expected one of debug, info, warn, error, silent (got "loud")'],
    [
      { SMTP_URL: 'mail.example.org' },
      /^SMTP_URL: expected an smtp:\/\/ or smtps:\/\/ URL such as smtp:\/\/user:pass@mail.example.org:587$/,
    ],
    [{ ADMIN_TOKEN: 'short' }, /^ADMIN_TOKEN: must be at least 16 characters \(a long random string\)$/],
    [
      { ADMIN_TOKENS: 'alice:0123456789abcdef' },
      /^ADMIN_TOKENS: expected label=token pairs separated by commas \(entry 1 has no label= prefix/,
    ],
    [{ ADMIN_TOKENS: 'alice=short' }, /^ADMIN_TOKENS: the token labelled "alice" must be at least 16 characters$/],
    [{ ADMIN_TOKENS: 'a=0123456789abcdef,a=fedcba9876543210' }, /^ADMIN_TOKENS: the label "a" is used twice$/],
    [
      { ADMIN_TOKEN: '0123456789abcdef', ADMIN_TOKENS: 'admin=fedcba9876543210' },
      /^ADMIN_TOKENS: the label "admin" is taken by ADMIN_TOKEN/,
    ],
    [
      { BASE_URL: 'not a url' },
      'BASE_URL: expected an absolute http(s) URL such as https://bellwether.example.org (got "not a url")',
    ],
    [
      { DATABASE_URL: 'mysql://db/bw' },
      'DATABASE_URL: unsupported scheme in "mysql://db/bw" (expected a file path, sqlite: or postgres:// URL)',
    ],
    [{ ALLOW_PRIVATE_FEEDS: 'yes' }, 'ALLOW_PRIVATE_FEEDS: expected 1 or 0 (got "yes")'],
    [{ FETCH_CONCURRENCY: '0' }, 'FETCH_CONCURRENCY: expected a positive integer (got "0")'],
    [{ OUTBOX_MAX_PER_RUN: '0' }, 'OUTBOX_MAX_PER_RUN: must be at least 1 (got "0")'],
    [{ OUTBOX_MAX_PER_RUN: 'lots' }, 'OUTBOX_MAX_PER_RUN: expected a whole number of deliveries per run (got "lots")'],
    [
      { POLYMARKET_API_URL: 'gamma-api.polymarket.com' },
      'POLYMARKET_API_URL: expected an http(s) base URL such as https://gamma-api.polymarket.com (got "gamma-api.polymarket.com")',
    ],
    [
      { METACULUS_API_URL: 'file:///etc' },
      'METACULUS_API_URL: expected an http(s) base URL such as https://www.metaculus.com (got "file:///etc")',
    ],
  ])('rejects %o with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env, '/srv')).toThrow(message);
  });

  it('reads labelled admin tokens beside ADMIN_TOKEN', () => {
    const c = loadConfig(
      { ADMIN_TOKEN: '0123456789abcdef', ADMIN_TOKENS: 'alice=aaaaaaaaaaaaaaaa, bob@desk=bbbbbbbbbbbbbbbb=' },
      '/srv',
    );
    expect(c.adminTokens).toEqual([
      { label: 'admin', token: '0123456789abcdef' },
      { label: 'alice', token: 'aaaaaaaaaaaaaaaa' },
      { label: 'bob@desk', token: 'bbbbbbbbbbbbbbbb=' },
    ]);
  });

  it('reads every kind of DATABASE_URL', () => {
    expect(parseDatabaseUrl('sqlite:./x.db', '/a')).toEqual({ kind: 'sqlite', file: '/a/x.db' });
    expect(parseDatabaseUrl('sqlite:///var/bw.db', '/a')).toEqual({ kind: 'sqlite', file: '/var/bw.db' });
    expect(parseDatabaseUrl('postgres://u@h/db', '/a')).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
  });

  it('derives BASE_URL from HOST and PORT and trims a trailing slash', () => {
    expect(loadConfig({ HOST: '127.0.0.1', PORT: '9000' }, '/').baseUrl).toBe('http://127.0.0.1:9000');
    expect(loadConfig({ BASE_URL: 'https://bw.example.org/' }, '/').baseUrl).toBe('https://bw.example.org');
  });
});

describe('loadDotEnv', () => {
  it('fills unset variables from .env without overriding the environment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bw-env-'));
    writeFileSync(path.join(dir, '.env'), 'BW_TEST_A=from-file\nBW_TEST_B=from-file\n');
    process.env.BW_TEST_B = 'from-env';
    loadDotEnv(dir);
    expect(process.env.BW_TEST_A).toBe('from-file');
    expect(process.env.BW_TEST_B).toBe('from-env');
    delete process.env.BW_TEST_A;
    delete process.env.BW_TEST_B;
  });
});

describe('PACKS: several questions in one instance', () => {
  const dir = () => {
    const d = mkdtempSync(path.join(tmpdir(), 'bw-packs-'));
    for (const f of ['a.yaml', 'b.yml', 'notes.txt']) writeFileSync(path.join(d, f), '');
    writeFileSync(path.join(d, '..', `${path.basename(d)}-first.yaml`), '');
    return d;
  };

  it('PACK alone is a list of one, the default question', () => {
    const c = loadConfig({ PACK: 'packs/x.yaml' }, '/srv/bw');
    expect(c.packFiles).toEqual(['/srv/bw/packs/x.yaml']);
    expect(c.packFile).toBe('/srv/bw/packs/x.yaml');
  });

  it('takes files and folders in order, a folder as its pack files in name order; the first is the default', () => {
    const d = dir();
    const first = `${d}-first.yaml`;
    const c = loadConfig({ PACKS: ` ${first} , ${d} ` }, '/');
    expect(c.packFiles).toEqual([first, path.join(d, 'a.yaml'), path.join(d, 'b.yml')]);
    expect(c.packFile).toBe(first);
    expect(Object.isFrozen(c.packFiles)).toBe(true);
  });

  it.each([
    [{ PACKS: ' , ' }, /^PACKS: expected pack files or folders separated by commas/],
    [{ PACKS: '/nowhere/x.yaml' }, /^PACKS: "\/nowhere\/x.yaml" does not exist/],
    [{ PACKS: 'a.yaml', PACK: 'b.yaml' }, /^PACKS: set PACKS or PACK, not both/],
  ])('refuses %o', (env, message) => {
    expect(() => loadConfig(env, '/srv/bw')).toThrow(message);
  });

  it('refuses a file listed twice and a folder without packs', () => {
    const d = dir();
    expect(() => loadConfig({ PACKS: `${d},${path.join(d, 'a.yaml')}` }, '/')).toThrow(
      /^PACKS: ".*a\.yaml" is listed twice$/,
    );
    const empty = mkdtempSync(path.join(tmpdir(), 'bw-empty-'));
    expect(() => loadConfig({ PACKS: empty }, '/')).toThrow(/^PACKS: the folder ".*" holds no \.yaml pack file$/);
  });
});
