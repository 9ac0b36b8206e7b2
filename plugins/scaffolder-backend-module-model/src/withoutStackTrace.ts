import { isError, ServiceUnavailableError } from '@backstage/errors';

/** Errors whose message is written for the person who runs the template. */
const USER_FACING = new Set([
  'InputError',
  'NotAllowedError',
  'NotFoundError',
  'ConflictError',
  'AuthenticationError',
  'ServiceUnavailableError',
]);

/**
 * Prepares an error for the scaffolder task log. The scaffolder writes
 * `String(error.stack)` of a failed step into the log the user sees, in
 * every environment; a stack names the server's files. This keeps the
 * error's class and message (the log shows `NotAllowedError: <message>`)
 * and drops the stack frames. Unexpected errors become a
 * ServiceUnavailableError with the original message; the caller logs the
 * original, with its stack, to the server log.
 */
export function withoutStackTrace(error: unknown): Error {
  const clean =
    isError(error) && USER_FACING.has(error.name)
      ? (error as Error)
      : new ServiceUnavailableError(
          isError(error) ? error.message : String(error),
        );
  Object.defineProperty(clean, 'stack', {
    value: `${clean.name}: ${clean.message}`,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return clean;
}
