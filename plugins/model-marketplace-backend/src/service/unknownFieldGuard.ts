import { InputError } from '@backstage/errors';
import type { NextFunction, Request, Response } from 'express';

type Schema = {
  readonly $ref?: string;
  readonly properties?: object;
  readonly additionalProperties?: unknown;
};
type Parameter = {
  readonly $ref?: string;
  readonly name?: string;
  readonly in?: string;
};
type Operation = {
  readonly [key: string]: unknown;
  readonly parameters?: readonly Parameter[];
  readonly requestBody?: {
    readonly content?: {
      readonly [type: string]: { readonly schema?: Schema };
    };
  };
};
/** The parts of an OpenAPI document this guard reads. */
type Document = {
  readonly paths: {
    readonly [path: string]: { readonly [method: string]: Operation };
  };
  readonly components?: {
    readonly [section: string]: { readonly [name: string]: unknown };
  };
};

function resolve<T>(doc: Document, value: T & { $ref?: string }): T {
  if (!value?.$ref) {
    return value;
  }
  const [, , section, name] = value.$ref.split('/');
  return doc.components?.[section]?.[name] as T;
}

const names = (keys: string[]) =>
  `${keys.length > 1 ? 's' : ''} ${keys.map(k => `'${k}'`).join(', ')}`;

/**
 * Refuses query parameters and top-level body fields that the OpenAPI
 * document does not declare for the operation, with a 400 that names them
 * (`Invalid query: unknown parameter 'foo'`). The request validator refuses
 * them too, but its message does not name an unknown body field. Install it
 * before the validator; everything else is the validator's.
 */
export function unknownFieldGuard(doc: Document) {
  const operations = Object.entries(doc.paths).map(([path, methods]) => ({
    pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}/?$`),
    methods,
  }));
  return (req: Request, _res: Response, next: NextFunction) => {
    const method = req.method.toLocaleLowerCase('en-US');
    const operation = operations.find(o => o.pattern.test(req.path))?.methods[
      method
    ];
    if (!operation) {
      next();
      return;
    }
    const declared = (operation.parameters ?? [])
      .map(p => resolve(doc, p))
      .filter(p => p?.in === 'query')
      .map(p => p.name);
    const unknownParams = Object.keys(req.query ?? {}).filter(
      k => !declared.includes(k),
    );
    if (unknownParams.length) {
      throw new InputError(
        `Invalid query: unknown parameter${names(unknownParams)}`,
      );
    }
    const schema = resolve(
      doc,
      operation.requestBody?.content?.['application/json']?.schema ?? {},
    );
    const body = req.body;
    if (
      schema?.additionalProperties === false &&
      body &&
      typeof body === 'object' &&
      !Array.isArray(body)
    ) {
      const allowed = Object.keys(schema.properties ?? {});
      const extra = Object.keys(body).filter(k => !allowed.includes(k));
      if (extra.length) {
        throw new InputError(
          `Invalid request body: unknown field${names(extra)}`,
        );
      }
    }
    next();
  };
}
