import { InputError } from '@backstage/errors';

/**
 * Small readers for fields of parsed YAML that throw an InputError naming
 * the field (`catalogs[1].properties.yamlCatalogPath is required`) when the
 * value has the wrong shape.
 */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `path.key`, or `key` at the top level. */
export function fieldPath(path: string, key: string | number): string {
  if (typeof key === 'number') {
    return `${path}[${key}]`;
  }
  return path ? `${path}.${key}` : key;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  return Array.isArray(value) ? 'a list' : `a ${typeof value}`;
}

export function requireRecord(
  value: unknown,
  path: string,
): Record<string, unknown> {
  if (!isRecord(value)) {
    throw new InputError(
      `${path || 'the document'} must be a mapping, not ${describe(value)}`,
    );
  }
  return value;
}

export function optionalRecord(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): Record<string, unknown> | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  return requireRecord(value, fieldPath(path, key));
}

export function optionalString(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): string | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(
      `${fieldPath(path, key)} must be a string, not ${describe(value)}`,
    );
  }
  return value;
}

export function requiredString(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): string {
  const value = optionalString(obj, key, path);
  if (value === undefined || value.trim() === '') {
    throw new InputError(`${fieldPath(path, key)} is required`);
  }
  return value;
}

export function optionalBoolean(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): boolean | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'boolean') {
    throw new InputError(
      `${fieldPath(path, key)} must be true or false, not ${describe(value)}`,
    );
  }
  return value;
}

/**
 * A list of strings; with `allowSingle` a lone string counts as a list of
 * one (model cards write `language: en` as often as `language: [en]`).
 */
export function optionalStringList(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  options: { allowSingle?: boolean } = {},
): string[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (options.allowSingle && typeof value === 'string') {
    return [value];
  }
  if (!Array.isArray(value)) {
    throw new InputError(
      `${fieldPath(path, key)} must be a list of strings, not ${describe(
        value,
      )}`,
    );
  }
  return value.map((item, i) => {
    if (typeof item !== 'string') {
      throw new InputError(
        `${fieldPath(fieldPath(path, key), i)} must be a string, not ${describe(
          item,
        )}`,
      );
    }
    return item;
  });
}

export function optionalList(
  obj: Record<string, unknown>,
  key: string,
  path: string,
): unknown[] | undefined {
  const value = obj[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    throw new InputError(
      `${fieldPath(path, key)} must be a list, not ${describe(value)}`,
    );
  }
  return value;
}
