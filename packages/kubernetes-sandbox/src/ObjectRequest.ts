import YAML from 'yaml';
import { ResourceType, apiVersionOf } from './ResourceTypes';
import { StatusError } from './StatusError';

// Reading a request: its body, field manager, dry-run flag and identity.

/** The result of a verb: a status code and a JSON body. */
export interface ApiResult {
  status: number;
  body: unknown;
}

/** A parsed request for one object or a collection. */
export interface ObjectRequest {
  method: string;
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: 'status';
  query: URLSearchParams;
  contentType: string;
  body: Buffer;
  userAgent: string;
}

/** Decodes the body as JSON (or YAML, for apply). */
export function parseBody(req: ObjectRequest, yamlAllowed: boolean): any {
  const text = req.body.toString('utf8');
  if (text.trim().length === 0) {
    throw StatusError.badRequest('the request body is empty');
  }
  try {
    return yamlAllowed ? YAML.parse(text) : JSON.parse(text);
  } catch (e) {
    throw StatusError.badRequest(
      `the body of the request could not be decoded: ${(e as Error).message}`,
    );
  }
}

/** The field manager when the request names none: the user agent's first word. */
export function defaultManager(userAgent: string): string {
  const first = userAgent.split('/')[0].trim();
  return first.length > 0 ? first.slice(0, 128) : 'unknown';
}

/** Whether the request asks for `dryRun=All`, in the query or DeleteOptions. */
export function isDryRun(query: URLSearchParams, options: any): boolean {
  const values = [...query.getAll('dryRun'), ...(options?.dryRun ?? [])];
  for (const v of values) {
    if (v !== 'All') {
      throw StatusError.badRequest(
        `Invalid dry run value: "${v}"; only "All" is supported`,
      );
    }
  }
  return values.length > 0;
}

/** Refuses a body whose apiVersion, kind, namespace or name contradict the URL. */
export function checkIdentity(req: ObjectRequest, obj: any) {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw StatusError.badRequest('the body must be a JSON object');
  }
  if (obj.apiVersion && obj.apiVersion !== apiVersionOf(req.type)) {
    throw StatusError.badRequest(
      `the API version in the data (${
        obj.apiVersion
      }) does not match the expected API version (${apiVersionOf(req.type)})`,
    );
  }
  if (obj.kind && obj.kind !== req.type.kind) {
    throw StatusError.badRequest(
      `the kind in the data (${obj.kind}) does not match the expected kind (${req.type.kind})`,
    );
  }
  const ns = obj.metadata?.namespace;
  if (req.type.namespaced && ns && ns !== req.namespace) {
    throw StatusError.badRequest(
      'the namespace of the provided object does not match the namespace sent on the request',
    );
  }
  if (req.name && obj.metadata?.name && obj.metadata.name !== req.name) {
    throw StatusError.badRequest(
      'the name of the object does not match the name on the URL',
    );
  }
}
