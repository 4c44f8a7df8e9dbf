// Reads the environment once into a typed, frozen Config; every other module receives it as an argument.
import { ConfigError } from './config-error.ts';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

export { ConfigError };

export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export type LogFormat = 'auto' | 'json' | 'pretty';

/** What `start` runs: web serves the dashboard and API only, worker polls, tags, forecasts and sends, all both. */
export type Role = 'web' | 'worker' | 'all';

export interface Config {
  readonly database: DatabaseTarget;
  readonly databaseUrl: string;
  /** The default question's pack: the first of packFiles. */
  readonly packFile: string;
  /** Every question this instance tracks (PACKS, else PACK), the default first; at least one, no path twice. */
  readonly packFiles: readonly string[];
  /** A saved `bellwether backtest --json` report the Track record page shows, or null. */
  readonly trackRecordFile: string | null;
  readonly port: number;
  readonly host: string;
  readonly baseUrl: string;
  readonly smtpUrl: string | null;
  readonly alertFrom: string;
  /** How long a webhook receiver may take to answer before the delivery is retried. */
  readonly webhookTimeoutMs: number;
  /** Deliveries (emails and webhooks) one worker sends per outbox run, every 15 s (OUTBOX_MAX_PER_RUN). */
  readonly outboxMaxPerRun: number;
  /** Admin bearer tokens with the label recorded beside what each one does (ADMIN_TOKEN is labelled "admin"). */
  readonly adminTokens: ReadonlyArray<{ readonly label: string; readonly token: string }>;
  readonly logLevel: LogLevel;
  /** json lines, pretty lines, or auto: pretty when stderr is a terminal. */
  readonly logFormat: LogFormat;
  /** Allow feeds on loopback/private addresses (tests and the offline demo). */
  readonly allowPrivateFeeds: boolean;
  readonly maxConcurrentFetches: number;
  readonly maxPerHostFetches: number;
  /** SQLite busy timeout per attempt to take the write lock (ms). */
  readonly dbBusyTimeoutMs: number;
  readonly userAgent: string;
  /** Base URLs of the public market APIs the pack's `market_sources` are polled from (tests point them at 127.0.0.1). */
  readonly polymarketApiUrl: string;
  readonly metaculusApiUrl: string;
  /** Metaculus API token (`Authorization: Token …`), if the API asks for one. */
  readonly metaculusApiToken: string | null;
  /** What `start` runs (ROLE, or `start --role`). */
  readonly role: Role;
}

const DEFAULTS = {
  DATABASE_URL: './data/bellwether.db',
  PACK: 'packs/ukraine-peace.yaml',
  PORT: '8080',
  HOST: '0.0.0.0',
  LOG_LEVEL: 'info',
  LOG_FORMAT: 'auto',
  ALERT_FROM: 'Bellwether <bellwether@localhost>',
  FETCH_CONCURRENCY: '8',
  FETCH_PER_HOST: '2',
  POLYMARKET_API_URL: 'https://gamma-api.polymarket.com',
  METACULUS_API_URL: 'https://www.metaculus.com',
  DB_BUSY_TIMEOUT_MS: '5000',
  WEBHOOK_TIMEOUT_MS: '10000',
  OUTBOX_MAX_PER_RUN: '2000',
  ROLE: 'all',
} as const;

/** One entry per environment variable: how to read it, and what the README documents. */
const variables = {
  DATABASE_URL: z.string().min(1, 'must not be empty (expected a SQLite file path, sqlite: URL or postgres:// URL)'),
  PACK: z.string().min(1, 'must not be empty (expected a path to a pack YAML file)'),
  PACKS: z
    .string()
    .transform((text) =>
      text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string()).min(1, 'expected pack files or folders separated by commas'))
    .optional(),
  TRACK_RECORD_FILE: z.string().min(1).optional(),
  PORT: z.coerce
    .number({ error: 'expected an integer port 0-65535 (0 picks a free port)' })
    .int('expected an integer port 0-65535 (0 picks a free port)')
    .min(0, 'expected an integer port 0-65535 (0 picks a free port)')
    .max(65535, 'expected an integer port 0-65535 (0 picks a free port)'),
  HOST: z.string().min(1, 'must not be empty (expected a host name or address to listen on)'),
  BASE_URL: z.url({ error: 'expected an absolute http(s) URL such as https://bellwether.example.org' }).optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, 'expected an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.org:587')
    .optional(),
  ALERT_FROM: z.string().min(3, 'expected a sender address such as "Bellwether <alerts@example.org>"'),
  WEBHOOK_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a whole number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(100, 'must be at least 100 ms')
    .max(120_000, 'must be at most 120000 ms'),
  OUTBOX_MAX_PER_RUN: z.coerce
    .number({ error: 'expected a whole number of deliveries per run' })
    .int('expected a whole number of deliveries per run')
    .min(1, 'must be at least 1')
    .max(1_000_000, 'must be at most 1000000'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters (a long random string)').optional(),
  ADMIN_TOKENS: z
    .string()
    .transform((text, ctx) => {
      const out: { label: string; token: string }[] = [];
      const parts = text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean);
      for (const [i, part] of parts.entries()) {
        const m = /^([A-Za-z0-9_.@-]{1,40})=(.+)$/.exec(part);
        if (!m)
          ctx.addIssue({
            code: 'custom',
            message: `expected label=token pairs separated by commas (entry ${i + 1} has no label= prefix of letters, digits, _ . @ -)`,
          });
        else if (m[2]!.length < 16)
          ctx.addIssue({ code: 'custom', message: `the token labelled "${m[1]}" must be at least 16 characters` });
        else if (out.some((t) => t.label === m[1]))
          ctx.addIssue({ code: 'custom', message: `the label "${m[1]}" is used twice` });
        else out.push({ label: m[1]!, token: m[2]! });
      }
      return out;
    })
    .optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent'], {
    error: 'expected one of debug, info, warn, error, silent',
  }),
  LOG_FORMAT: z.enum(['auto', 'json', 'pretty'], { error: 'expected auto, json or pretty' }),
  ALLOW_PRIVATE_FEEDS: z.enum(['0', '1', 'true', 'false'], { error: 'expected 1 or 0' }).optional(),
  FETCH_CONCURRENCY: z.coerce
    .number({ error: 'expected a positive integer' })
    .int()
    .min(1, 'expected a positive integer'),
  FETCH_PER_HOST: z.coerce.number({ error: 'expected a positive integer' }).int().min(1, 'expected a positive integer'),
  POLYMARKET_API_URL: z.url({
    protocol: /^https?$/,
    error: 'expected an http(s) base URL such as https://gamma-api.polymarket.com',
  }),
  METACULUS_API_URL: z.url({
    protocol: /^https?$/,
    error: 'expected an http(s) base URL such as https://www.metaculus.com',
  }),
  METACULUS_API_TOKEN: z.string().min(1).optional(),
  DB_BUSY_TIMEOUT_MS: z.coerce
    .number({ error: 'expected a whole number of milliseconds' })
    .int('expected a whole number of milliseconds')
    .min(0, 'expected a whole number of milliseconds'),
  ROLE: z.enum(['web', 'worker', 'all'], { error: 'expected web, worker or all' }),
} satisfies Record<string, z.ZodType>;

export type EnvName = keyof typeof variables;
const SECRETS = new Set<string>(['ADMIN_TOKEN', 'ADMIN_TOKENS', 'SMTP_URL', 'METACULUS_API_TOKEN']);
export const ENV_NAMES = Object.keys(variables) as EnvName[];

/** Parses a DATABASE_URL value: a bare path or sqlite: URL is SQLite; postgres:// is PostgreSQL. */
export function parseDatabaseUrl(value: string, cwd: string): DatabaseTarget {
  if (/^postgres(ql)?:\/\//i.test(value)) return { kind: 'postgres', url: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) && !/^sqlite:/i.test(value) && !/^file:/i.test(value)) {
    throw new ConfigError(
      'DATABASE_URL',
      `unsupported scheme in "${value}" (expected a file path, sqlite: or postgres:// URL)`,
    );
  }
  let file = value.replace(/^sqlite:(\/\/)?/i, '').replace(/^file:(\/\/)?/i, '');
  if (file === '') throw new ConfigError('DATABASE_URL', 'the sqlite: URL names no file');
  if (file !== ':memory:') file = path.resolve(cwd, file);
  return { kind: 'sqlite', file };
}

/**
 * PACKS: pack files and folders, comma-separated, in order; a folder stands for its *.yaml / *.yml files in
 * name order. The first pack is the default question. Without PACKS, PACK is a list of one.
 */
export function resolvePackFiles(packs: readonly string[] | undefined, pack: string, cwd: string): string[] {
  if (!packs) return [path.resolve(cwd, pack)];
  const files: string[] = [];
  for (const entry of packs) {
    const full = path.resolve(cwd, entry);
    let isDir: boolean;
    try {
      isDir = statSync(full).isDirectory();
    } catch {
      throw new ConfigError('PACKS', `"${entry}" does not exist (expected a pack file or a folder of pack files)`);
    }
    const found = isDir
      ? readdirSync(full)
          .filter((f) => /\.ya?ml$/i.test(f))
          .sort()
          .map((f) => path.join(full, f))
      : [full];
    if (isDir && found.length === 0) throw new ConfigError('PACKS', `the folder "${entry}" holds no .yaml pack file`);
    for (const f of found) {
      if (files.includes(f)) throw new ConfigError('PACKS', `"${f}" is listed twice`);
      files.push(f);
    }
  }
  return files;
}

function adminTokens(single: string | undefined, labelled: { label: string; token: string }[] | undefined) {
  const list = [...(single ? [{ label: 'admin', token: single }] : []), ...(labelled ?? [])];
  if (single && labelled?.some((t) => t.label === 'admin'))
    throw new ConfigError('ADMIN_TOKENS', 'the label "admin" is taken by ADMIN_TOKEN: choose another label');
  return Object.freeze(list.map((t) => Object.freeze(t)));
}

/** Honour a .env file in the working directory without overriding variables already set. */
export function loadDotEnv(cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return;
  const before = { ...env };
  process.loadEnvFile(file);
  // process.loadEnvFile writes to process.env; restore anything the caller had already set.
  for (const [k, v] of Object.entries(before)) if (v !== undefined) env[k] = v;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const read = <K extends EnvName>(name: K): z.output<(typeof variables)[K]> => {
    const raw = env[name];
    const value = raw === undefined || raw === '' ? (DEFAULTS as Record<string, string>)[name] : raw;
    const result = variables[name].safeParse(value);
    if (!result.success) {
      // Secrets are never echoed into logs.
      const shown = raw === undefined || SECRETS.has(name) ? '' : ` (got "${raw}")`;
      throw new ConfigError(name, `${result.error.issues[0]?.message ?? 'invalid value'}${shown}`);
    }
    return result.data as z.output<(typeof variables)[K]>;
  };
  const databaseUrl = read('DATABASE_URL');
  const port = read('PORT');
  const host = read('HOST');
  const publicHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  const allow = read('ALLOW_PRIVATE_FEEDS');
  const packsSet = env.PACKS !== undefined && env.PACKS !== '';
  if (packsSet && env.PACK !== undefined && env.PACK !== '')
    throw new ConfigError('PACKS', 'set PACKS or PACK, not both (PACKS lists every question, the default first)');
  const packFiles = Object.freeze(resolvePackFiles(packsSet ? read('PACKS') : undefined, read('PACK'), cwd));
  const config: Config = {
    database: parseDatabaseUrl(databaseUrl, cwd),
    databaseUrl,
    packFile: packFiles[0]!,
    packFiles,
    trackRecordFile: ((f) => (f ? path.resolve(cwd, f) : null))(read('TRACK_RECORD_FILE')),
    port,
    host,
    baseUrl: (read('BASE_URL') ?? `http://${publicHost}:${port}`).replace(/\/+$/, ''),
    smtpUrl: read('SMTP_URL') ?? null,
    alertFrom: read('ALERT_FROM'),
    webhookTimeoutMs: read('WEBHOOK_TIMEOUT_MS'),
    outboxMaxPerRun: read('OUTBOX_MAX_PER_RUN'),
    adminTokens: adminTokens(read('ADMIN_TOKEN'), read('ADMIN_TOKENS')),
    logLevel: read('LOG_LEVEL'),
    logFormat: read('LOG_FORMAT'),
    allowPrivateFeeds: allow === '1' || allow === 'true',
    maxConcurrentFetches: read('FETCH_CONCURRENCY'),
    maxPerHostFetches: read('FETCH_PER_HOST'),
    dbBusyTimeoutMs: read('DB_BUSY_TIMEOUT_MS'),
    userAgent: 'Bellwether/0.1 (+https://github.com/bellwether-forecast/bellwether)',
    polymarketApiUrl: read('POLYMARKET_API_URL').replace(/\/+$/, ''),
    metaculusApiUrl: read('METACULUS_API_URL').replace(/\/+$/, ''),
    metaculusApiToken: read('METACULUS_API_TOKEN') ?? null,
    role: read('ROLE'),
  };
  return Object.freeze(config);
}
