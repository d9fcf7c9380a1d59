/**
 * Usage errors of the `sansdns` command: what was wrong with the command
 * line, as a stable code and a message that says it. They exit with status 1,
 * except `bad-name` and `no-server`, which exit with 10 as dig's do.
 */

/** Why a command line was refused. Stable strings. */
export type UsageErrorCode =
  | 'unknown-option'
  | 'missing-value'
  | 'bad-value'
  | 'bad-server'
  | 'bad-type'
  | 'bad-name'
  | 'missing-name'
  | 'extra-argument'
  | 'conflict'
  /** A server could not be found (`@host` unknown, `-4` with an IPv6 server): exit status 10, as dig. */
  | 'no-server';

/** A mistake on the command line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(readonly code: UsageErrorCode, message: string) {
    super(message);
  }
}

/** True for a {@link UsageError} (also across module copies). */
export function isUsageError(error: unknown): error is UsageError {
  return error instanceof Error && error.name === 'UsageError' && typeof (error as { code?: unknown }).code === 'string';
}
