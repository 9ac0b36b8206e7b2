import { InputError } from '@backstage/errors';
import type { ZodRawShape, ZodTypeAny, z as zod } from 'zod/v3';
import type { Zod } from './schemas';

function describeIssues(field: string, error: zod.ZodError): string {
  return error.issues
    .map(issue => {
      const path = [field, ...issue.path].join('.');
      return `'${path}': ${issue.message}`;
    })
    .join('; ');
}

/**
 * The input schema of an action: `shape` as an object that takes no other
 * fields. A field that does not parse throws an InputError naming its path
 * and the problem ("'models': Array must contain at least 2 element(s)"):
 * the actions registry answers a failed parse with a fixed message that
 * names no field, while a thrown error reaches the caller as it is. The JSON
 * schema an agent sees is the same as that of `z.object(shape)`.
 */
export function inputSchema<T extends ZodRawShape>(z: Zod, shape: T) {
  const checked = {} as {
    [K in keyof T]: zod.ZodEffects<T[K], zod.output<T[K]>, unknown>;
  };
  for (const key of Object.keys(shape) as Array<keyof T & string>) {
    const field: ZodTypeAny = shape[key];
    checked[key] = z.preprocess(value => {
      const result = field.safeParse(value);
      if (!result.success) {
        throw new InputError(
          `Invalid input: ${describeIssues(key, result.error)}`,
        );
      }
      return value;
    }, shape[key]);
  }
  // Typed as a catch-all of unknown values (the type of a field that never
  // parses would make every declared field `never` too).
  const noOtherField: zod.ZodType<unknown> = z.preprocess((_value, ctx) => {
    throw new InputError(
      `Invalid input: unknown field '${ctx.path.join('.')}'; expected ${
        Object.keys(shape)
          .map(k => `'${k}'`)
          .join(', ') || 'no fields'
      }`,
    );
  }, z.never());
  return z.object(checked).catchall(noOtherField);
}
