import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
  isError,
} from '@backstage/errors';

const BY_NAME: Record<string, new (message: string) => Error> = {
  InputError,
  AuthenticationError,
  NotAllowedError,
  NotFoundError,
  ConflictError,
  ServiceUnavailableError,
};

const BY_STATUS: Record<number, new (message: string) => Error> = {
  400: InputError,
  401: AuthenticationError,
  403: NotAllowedError,
  404: NotFoundError,
  409: ConflictError,
  503: ServiceUnavailableError,
};

/**
 * The error an action throws for a failed call of a REST API it made as the
 * caller: the same kind (so the actions registry answers with the same
 * status as the REST API did) and the API's own message, which names the
 * problem (a field path, a missing permission), without the transport
 * wrapping of `ResponseError`.
 */
export function asCallerError(error: unknown, what: string): Error {
  if (ResponseError.is(error)) {
    const cause = error.body?.error;
    const Kind =
      (cause?.name ? BY_NAME[cause.name] : undefined) ??
      BY_STATUS[error.statusCode] ??
      Error;
    return new Kind(`${what}: ${cause?.message ?? error.message}`);
  }
  if (isError(error)) {
    const Kind = BY_NAME[error.name] ?? Error;
    return new Kind(`${what}: ${error.message}`);
  }
  return new Error(`${what}: ${String(error)}`);
}
