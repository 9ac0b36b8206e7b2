import { promises as fs } from 'node:fs';
import {
  dirname,
  isAbsolute,
  relative,
  resolve as resolvePath,
} from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';

/**
 * A text file the importers read: a URL (read through Backstage's
 * UrlReader, with its integrations and `backend.reading.allow` list) or a
 * local file path.
 */
export type TextLocation = { type: 'url' | 'file'; target: string };

/** The largest file the importers read. */
export const MAX_TEXT_BYTES = 8 * 1024 * 1024;

/**
 * A location from a configured value: `http(s)://` URLs are read through the
 * UrlReader, anything else is a file path resolved against the working
 * directory (as the catalog resolves `file` locations).
 */
export function textLocationOf(value: string): TextLocation {
  if (/^https?:\/\//i.test(value)) {
    return { type: 'url', target: value };
  }
  return { type: 'file', target: resolvePath(value) };
}

/**
 * Resolves `ref` against `base` the way a browser resolves a relative link:
 * against a URL's folder, or against a file's folder. A file location never
 * resolves to anything outside the base file's folder, and a URL never turns
 * into a local file.
 */
export function resolveTextLocation(
  base: TextLocation,
  ref: string,
  field: string,
): TextLocation {
  if (/^https?:\/\//i.test(ref)) {
    return { type: 'url', target: ref };
  }
  if (base.type === 'url') {
    const url = new URL(ref, base.target);
    if (!/^https?:$/.test(url.protocol)) {
      throw new InputError(
        `${field} "${ref}" resolves to ${url.protocol} against ${base.target}; only http(s) URLs are read`,
      );
    }
    return { type: 'url', target: url.toString() };
  }
  const folder = dirname(base.target);
  const target = resolvePath(folder, ref);
  const inside = relative(folder, target);
  if (inside.startsWith('..') || isAbsolute(inside)) {
    throw new InputError(
      `${field} "${ref}" lies outside the folder of ${base.target}`,
    );
  }
  return { type: 'file', target };
}

/** `url:https://...` or `file:/abs/path`, as in `backstage.io/managed-by-location`. */
export function stringifyTextLocation(location: TextLocation): string {
  return `${location.type}:${location.target}`;
}

/**
 * Reads a text location as UTF-8, refusing files larger than
 * `MAX_TEXT_BYTES`. A missing file or URL throws a NotFoundError.
 */
export async function readTextLocation(
  reader: UrlReaderService,
  location: TextLocation,
): Promise<string> {
  let buffer: Buffer;
  if (location.type === 'url') {
    const response = await reader.readUrl(location.target);
    buffer = await response.buffer();
  } else {
    let size: number;
    try {
      size = (await fs.stat(location.target)).size;
    } catch {
      throw new NotFoundError(`${location.target} does not exist`);
    }
    if (size > MAX_TEXT_BYTES) {
      throw new InputError(`${location.target} is larger than 8 MiB`);
    }
    buffer = await fs.readFile(location.target);
  }
  if (buffer.length > MAX_TEXT_BYTES) {
    throw new InputError(`${location.target} is larger than 8 MiB`);
  }
  return buffer.toString('utf8');
}
