import { InputError } from '@backstage/errors';
import type { NextFunction, Request, Response, Router } from 'express';

/**
 * The first string inside `value` that holds a NUL character, as a dotted
 * path (`purpose`, `objects.0.name`), or undefined when there is none. Object
 * keys are checked as well as values.
 */
export function findNulByte(
  value: unknown,
  path: string,
  seen = new Set<unknown>(),
): string | undefined {
  if (typeof value === 'string') {
    return value.includes('\u0000') ? path : undefined;
  }
  if (!value || typeof value !== 'object' || seen.has(value)) {
    return undefined;
  }
  seen.add(value);
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key.includes('\u0000')) {
      return path || '(a field name)';
    }
    const found = findNulByte(child, childPath, seen);
    if (found) {
      return found;
    }
  }
  return undefined;
}

function refuse(where: string, field: string): never {
  throw new InputError(
    `Invalid ${where}: '${field}' contains a NUL character, which is not allowed`,
  );
}

/**
 * Refuses a request with a NUL character in its query or JSON body with a
 * 400 naming the field. PostgreSQL cannot store NUL in text and would fail
 * the query with a 500; no legitimate input holds one. Install it after the
 * body parser and before validation.
 */
export function nulByteGuard(
  req: Request,
  _res: Response,
  next: NextFunction,
): void {
  const inQuery = findNulByte(req.query, '');
  if (inQuery) {
    refuse('query', inQuery);
  }
  const inBody = findNulByte(req.body, '');
  if (inBody) {
    refuse('request body', inBody);
  }
  next();
}

/** Refuses a NUL character in each of the path parameters `paramNames`. */
export function rejectNulBytesInParams(
  router: Pick<Router, 'param'>,
  paramNames: string[],
): void {
  for (const name of paramNames) {
    router.param(name, (_req, _res, next, value) => {
      if (typeof value === 'string' && value.includes('\u0000')) {
        refuse('path', name);
      }
      next();
    });
  }
}
