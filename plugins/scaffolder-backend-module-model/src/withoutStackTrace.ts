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
  return stackless(clean);
}

/**
 * Replaces an error's stack by `Name: message`, keeping its class and
 * message, so that the scaffolder's task log names no server file.
 */
function stackless<E extends Error>(error: E): E {
  Object.defineProperty(error, 'stack', {
    value: `${error.name}: ${error.message}`,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return error;
}

/**
 * Wraps a scaffolder action handler so that whatever it throws (a cluster
 * error, a readiness failure with its rollback report, bad input) reaches
 * the task log as `Name: message`, without stack frames or server paths.
 * The error keeps its class and message.
 */
export function withCleanTaskErrors<A extends unknown[], R>(
  handler: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args: A) => {
    try {
      return await handler(...args);
    } catch (error) {
      throw isError(error) ? stackless(error as Error) : error;
    }
  };
}
