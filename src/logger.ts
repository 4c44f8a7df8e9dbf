// Structured logs through pino: JSON lines on stderr for machines (not a terminal, or LOG_FORMAT=json),
// readable lines for people (a terminal, or LOG_FORMAT=pretty), colour only on a terminal and never under
// NO_COLOR. The Logger is passed in, never imported as a global; callers write log.info(message, fields).
import { createRequire } from 'node:module';
import { Writable } from 'node:stream';
import { pino, type DestinationStream } from 'pino';
import type prettyModule from 'pino-pretty';
import type { LogFormat, LogLevel } from './config/index.ts';

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface LoggerOptions {
  /** json, pretty, or auto (pretty on a terminal). Default auto. */
  format?: LogFormat;
  /** Environment for NO_COLOR (default process.env). */
  env?: NodeJS.ProcessEnv;
}

/**
 * A logger at `level`. `write` receives each line without its newline (tests); by default lines go to
 * stderr synchronously, so nothing is lost when the process exits right after logging.
 */
/**
 * pino-pretty, loaded only for readable logs: a process logging JSON (a service, every command in a pipe or a
 * test) does not pay for loading it. CommonJS, so a synchronous require keeps createLogger synchronous.
 */
function loadPretty(): typeof prettyModule {
  return createRequire(import.meta.url)('pino-pretty') as typeof prettyModule;
}

export function createLogger(level: LogLevel, write?: (line: string) => void, options: LoggerOptions = {}): Logger {
  const env = options.env ?? process.env;
  const format = options.format ?? 'auto';
  const tty = write === undefined && process.stderr.isTTY === true;
  const readable = format === 'pretty' || (format === 'auto' && tty);
  const sink: DestinationStream = write
    ? new Writable({
        write(chunk: Buffer | string, _encoding, done) {
          write(String(chunk).replace(/\n$/, ''));
          done();
        },
      })
    : pino.destination({ dest: 2, sync: true });
  const stream = readable
    ? loadPretty()({
        destination: sink,
        sync: true,
        colorize: tty && !env.NO_COLOR,
        translateTime: 'SYS:yyyy-mm-dd HH:MM:ss',
        ignore: 'pid,hostname',
      })
    : sink;
  const p = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    stream,
  );
  const at =
    (name: 'debug' | 'info' | 'warn' | 'error') =>
    (message: string, fields?: Record<string, unknown>): void =>
      fields ? p[name](fields, message) : p[name](message);
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createLogger('silent', () => {});
