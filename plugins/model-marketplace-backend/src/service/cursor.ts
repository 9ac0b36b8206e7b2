import { InputError } from '@backstage/errors';
import { createHash } from 'node:crypto';

/** A short fingerprint of everything that defines a result list. */
export function fingerprint(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value))
    .digest('base64url')
    .slice(0, 12);
}

/** An opaque cursor: the offset of the next page and the query's fingerprint. */
export function encodeCursor(offset: number, print: string): string {
  return Buffer.from(JSON.stringify({ o: offset, f: print })).toString(
    'base64url',
  );
}

/** Reads a cursor made by {@link encodeCursor} for the same query, else 400. */
export function decodeCursor(cursor: string, print: string): number {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('Invalid cursor');
  }
  const { o, f } = (parsed ?? {}) as { o?: unknown; f?: unknown };
  if (typeof o !== 'number' || !Number.isInteger(o) || o < 0) {
    throw new InputError('Invalid cursor');
  }
  if (f !== print) {
    throw new InputError(
      'Invalid cursor: it belongs to a different query; start again without a cursor',
    );
  }
  return o;
}
