/** A cause inside a Status' details, as the API server reports it. */
export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
}

/** Details of a Status: which object the failure is about. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/**
 * An error answered as a Kubernetes `Status` object.
 */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'StatusError';
  }

  toStatus(): Record<string, unknown> {
    return statusBody(this.code, this.reason, this.message, this.details);
  }

  static notFound(kind: string, group: string, name: string) {
    const resource = group ? `${kind}.${group}` : kind;
    return new StatusError(404, 'NotFound', `${resource} "${name}" not found`, {
      name,
      group: group || undefined,
      kind,
    });
  }

  static alreadyExists(kind: string, group: string, name: string) {
    const resource = group ? `${kind}.${group}` : kind;
    return new StatusError(
      409,
      'AlreadyExists',
      `${resource} "${name}" already exists`,
      { name, group: group || undefined, kind },
    );
  }

  static conflict(kind: string, group: string, name: string, why: string) {
    const resource = group ? `${kind}.${group}` : kind;
    return new StatusError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${resource} "${name}": ${why}`,
      { name, group: group || undefined, kind },
    );
  }

  static invalid(
    kind: string,
    group: string,
    name: string,
    causes: StatusCause[],
  ) {
    const resource = group ? `${kind}.${group}` : kind;
    const summary = causes
      .map(c => (c.field ? `${c.field}: ${c.message}` : c.message))
      .join(', ');
    return new StatusError(
      422,
      'Invalid',
      `${resource} "${name}" is invalid: ${summary}`,
      { name, group: group || undefined, kind, causes },
    );
  }

  static notFoundPath() {
    return new StatusError(
      404,
      'NotFound',
      'the server could not find the requested resource',
    );
  }

  static badRequest(message: string) {
    return new StatusError(400, 'BadRequest', message);
  }

  static methodNotAllowed(message: string) {
    return new StatusError(405, 'MethodNotAllowed', message);
  }

  static unauthorized() {
    return new StatusError(401, 'Unauthorized', 'Unauthorized');
  }

  static forbidden(
    user: string,
    verb: string,
    kind: string,
    group: string,
    name: string,
    namespace: string | undefined,
  ) {
    const resource = group ? `${kind}.${group}` : kind;
    const scope = namespace
      ? `in the namespace "${namespace}"`
      : 'at the cluster scope';
    const subject = name ? `${resource} "${name}"` : resource;
    return new StatusError(
      403,
      'Forbidden',
      `${subject} is forbidden: User "${user}" cannot ${verb} resource "${kind}" in API group "${group}" ${scope}`,
      { name: name || undefined, group: group || undefined, kind },
    );
  }
}

/** Builds a `Status` body. */
export function statusBody(
  code: number,
  reason: string,
  message: string,
  details?: StatusDetails,
): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code,
  };
}
