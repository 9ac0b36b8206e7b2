import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** A query parameter that may be given once or repeated. */
export const repeatable = z
  .union([z.string(), z.array(z.string())])
  .transform(v => (Array.isArray(v) ? v : [v]));

/** Parses with zod, turning failures into an InputError naming each field. */
export function parseInput<T extends z.ZodTypeAny>(
  schema: T,
  input: unknown,
  what: string,
): z.infer<T> {
  const result = schema.safeParse(input ?? {});
  if (!result.success) {
    const problems = result.error.issues.map(issue => {
      if (issue.code === 'unrecognized_keys') {
        return `unknown ${what === 'query' ? 'parameter' : 'field'}${
          issue.keys.length > 1 ? 's' : ''
        } ${issue.keys.map(k => `'${k}'`).join(', ')}`;
      }
      const path = issue.path.join('.');
      return path ? `'${path}': ${issue.message}` : issue.message;
    });
    throw new InputError(`Invalid ${what}: ${problems.join('; ')}`);
  }
  return result.data;
}
