// One error model: every error the tracker raises on purpose is a BellwetherError with a literal code from
// this registry, whose kind says what went wrong for the caller. The CLI turns kinds into exit codes
// (cli/errors.ts) and the server into HTTP statuses (server/http/errors.ts), each in one table.

/**
 * - `invalid`: the input is wrong (a flag, a variable, a pack, a file, a URL): fix it and run again.
 * - `not_found`: the input names something that does not exist.
 * - `conflict`: the stored state refuses it (already resolved, already added, nothing to score yet).
 * - `failed`: the input was fine but the work failed (network, SMTP, a port in use, a lost lease).
 * - `busy`: another process holds what was needed; trying again later should work.
 */
export type ErrorKind = 'invalid' | 'not_found' | 'conflict' | 'failed' | 'busy';

/** Every error code, with its kind. A new code is added here first; both tables follow from its kind. */
export const ERROR_KINDS = {
  // command line
  usage: 'invalid',
  // config/
  invalid_config: 'invalid',
  // pack/
  invalid_pack: 'invalid',
  // db/
  unsupported: 'invalid',
  open_failed: 'failed',
  migration_failed: 'failed',
  // a web instance found migrations not applied yet (a worker or `bellwether migrate` applies them)
  migrations_pending: 'conflict',
  busy: 'busy',
  // ingest/ (feeds)
  bad_url: 'invalid',
  blocked_address: 'invalid',
  bad_tier: 'invalid',
  bad_opml: 'invalid',
  bad_schedule: 'invalid',
  exists: 'conflict',
  not_found: 'not_found',
  lease_lost: 'busy',
  // ingest/ (fetching and parsing a feed)
  timeout: 'failed',
  http_status: 'failed',
  too_large: 'failed',
  not_a_feed: 'failed',
  parse_error: 'failed',
  network: 'failed',
  dns: 'failed',
  tls: 'failed',
  connection_refused: 'failed',
  connection_reset: 'failed',
  redirect: 'failed',
  gone: 'failed',
  rate_limited: 'busy',
  // ingest/market (a polled market API answered with something we cannot read)
  bad_market_response: 'failed',
  // tagging/
  invalid_labelled_set: 'invalid',
  invalid_model: 'invalid',
  model_mismatch: 'invalid',
  // scenarios/
  unknown_scenario: 'not_found',
  already_resolved: 'conflict',
  no_snapshots: 'conflict',
  unresolved: 'conflict',
  no_days: 'conflict',
  // pipeline/
  invalid_corpus: 'invalid',
  bad_date: 'invalid',
  empty: 'invalid',
  // alerts/
  invalid_email: 'invalid',
  invalid_rules: 'invalid',
  invalid_webhook: 'invalid',
  temporary: 'failed',
  permanent: 'failed',
  auth: 'failed',
  unreachable: 'failed',
  // main
  listen_failed: 'failed',
  // demo/
  missing_dependency: 'failed',
  // cli/ (backup)
  backup_failed: 'failed',
  // db/ (copy between databases)
  not_empty: 'conflict',
  schema_mismatch: 'conflict',
  copy_mismatch: 'failed',
  same_database: 'invalid',
} as const satisfies Record<string, ErrorKind>;

export type ErrorCode = keyof typeof ERROR_KINDS;

/** The base of every error the tracker raises on purpose: its message is written for the user. */
export abstract class BellwetherError<Code extends ErrorCode = ErrorCode> extends Error {
  abstract readonly code: Code;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }

  get kind(): ErrorKind {
    return ERROR_KINDS[this.code];
  }
}

export function isBellwetherError(error: unknown): error is BellwetherError {
  return error instanceof BellwetherError;
}
