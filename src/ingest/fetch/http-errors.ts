// Maps Node socket/TLS/DNS errors to IngestError codes with a distinct, readable message for each failure kind.
import { IngestError } from '../errors.ts';

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_HANDSHAKE_TIMEOUT',
]);

/** Turns any error thrown while talking to `host` into an IngestError (IngestErrors pass through). */
export function toIngestError(e: unknown, host: string): IngestError {
  if (e instanceof IngestError) return e;
  const err = e as NodeJS.ErrnoException;
  const code = err?.code ?? '';
  const detail = err?.message ?? String(e);
  if (code === 'ECONNREFUSED')
    return new IngestError('connection_refused', `connection refused by ${host}`, { cause: e });
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_PREMATURE_CLOSE' || detail === 'aborted') {
    return new IngestError('connection_reset', `connection reset by ${host} (${code || detail})`, { cause: e });
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NODATA') {
    return new IngestError('dns', `DNS lookup failed for ${host} (${code})`, { cause: e });
  }
  if (code === 'ETIMEDOUT') return new IngestError('timeout', `connection to ${host} timed out`, { cause: e });
  if (
    TLS_CODES.has(code) ||
    code.startsWith('ERR_SSL') ||
    code.startsWith('ERR_TLS') ||
    /certificate|ssl|tls/i.test(detail)
  ) {
    const what =
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN'
        ? 'self-signed certificate'
        : code || 'handshake failed';
    return new IngestError('tls', `TLS error with ${host}: ${what}`, { cause: e });
  }
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) {
    return new IngestError('network', `invalid HTTP response from ${host} (${code})`, { cause: e });
  }
  return new IngestError('network', `network error with ${host}: ${code ? `${code} ` : ''}${detail}`, { cause: e });
}
