import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { describeFailure } from './retryPolicy';

/** Replaces secrets and bearer credentials in a text. */
export function redact(text: string, secrets: string[] = []): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) {
      out = out.split(secret).join('[redacted]');
    }
  }
  return out.replace(/(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 [redacted]');
}

type StatusBody = {
  kind?: string;
  message?: string;
  reason?: string;
  details?: {
    causes?: Array<{ reason?: string; message?: string; field?: string }>;
  };
};

/** Reads one property of an unknown thrown value, if it is an object. */
function property(error: unknown, key: string): unknown {
  if (typeof error !== 'object' || error === null || !(key in error)) {
    return undefined;
  }
  const value: unknown = Reflect.get(error, key);
  return value;
}

function statusBody(error: unknown): StatusBody | undefined {
  const body = property(error, 'body');
  if (body && typeof body === 'object') {
    const parsed: StatusBody = body;
    return parsed;
  }
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body);
      return parsed && typeof parsed === 'object' ? parsed : undefined;
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  return undefined;
}

function conflictDetails(body: StatusBody | undefined): string | undefined {
  const causes = body?.details?.causes?.filter(
    c => c.reason === 'FieldManagerConflict' || c.field,
  );
  if (!causes?.length) {
    return undefined;
  }
  return causes
    .map(c => `${c.field ?? '?'} (${c.message ?? 'owned by another manager'})`)
    .join(', ');
}

/**
 * Turns an error from `@kubernetes/client-node` into a Backstage error:
 * 403 → NotAllowedError, 404 → NotFoundError, 409 → ConflictError,
 * 400/422 → InputError, anything else → Error. The message is the
 * Kubernetes Status message plus what was being done; headers, request
 * options and credentials are never carried over.
 *
 * @param what - what was being done, e.g. `apply Deployment team-a/x`
 * @param secrets - strings that must not appear in the message
 * @public
 */
export function toBackstageError(
  error: unknown,
  what: string,
  secrets: string[] = [],
): Error {
  const failure = describeFailure(error);
  const body = statusBody(error);
  const status = failure.status;
  if (status === undefined) {
    const name = property(error, 'name');
    if (name === 'AbortError') {
      const e = new Error(redact(`Cannot ${what}: cancelled`, secrets));
      e.name = 'AbortError';
      return e;
    }
    const reason = failure.connectionError
      ? `connection failed (${String(property(error, 'code') ?? 'reset')})`
      : String(property(error, 'message') ?? error);
    return new Error(redact(`Cannot ${what}: ${reason}`, secrets));
  }
  const statusMessage = body?.message ?? body?.reason ?? `HTTP ${status}`;
  let message = `Cannot ${what}: ${statusMessage}`;
  switch (status) {
    case 403:
      return new NotAllowedError(redact(message, secrets));
    case 404:
      return new NotFoundError(redact(message, secrets));
    case 409: {
      const fields = conflictDetails(body);
      if (fields) {
        message = `Cannot ${what}: fields are managed by another field manager: ${fields}. ${statusMessage}`;
      }
      return new ConflictError(redact(message, secrets));
    }
    case 400:
    case 422:
      return new InputError(redact(message, secrets));
    default: {
      const e = new Error(redact(`${message} (HTTP ${status})`, secrets));
      e.name = 'KubernetesApiError';
      return e;
    }
  }
}
