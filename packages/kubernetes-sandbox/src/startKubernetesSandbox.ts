import fs from 'node:fs';
import https from 'node:https';
import { IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { answerFault } from './answerFault';
import { sandboxCertificate } from './certificates';
import {
  apiGroupInfo,
  apiGroupList,
  apiResourceList,
  coreApiVersions,
  versionInfo,
} from './Discovery';
import { FaultInjector } from './FaultInjector';
import { renderKubeconfig } from './kubeconfig';
import { ApiResult, ObjectApi, ObjectRequest } from './ObjectApi';
import { findResourceTypeByKind } from './ResourceTypes';
import { openApiV3GroupVersion, openApiV3Index } from './OpenApi';
import { Rollout } from './Rollout';
import { Route, parseRoute } from './Route';
import { StatusError } from './StatusError';
import { Store } from './Store';
import { SandboxUser, TokenAuth } from './TokenAuth';
import {
  KubernetesSandbox,
  SandboxOptions,
  SandboxRequestLogEntry,
} from './types';
import { streamWatch } from './WatchStream';

const WRITE_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'];

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** Whether a request asks for a dry run, in its query or its DeleteOptions. */
function asksForDryRun(url: URL, body: Buffer): boolean {
  if (url.searchParams.getAll('dryRun').length > 0) return true;
  if (body.length === 0 || body.length > 65536) return false;
  try {
    const parsed = JSON.parse(body.toString('utf8'));
    return (
      parsed?.kind === 'DeleteOptions' &&
      Array.isArray(parsed.dryRun) &&
      parsed.dryRun.length > 0
    );
  } catch {
    return false;
  }
}

function verbOf(method: string, route: Route, watch: boolean): string {
  const collection = route.kind === 'collection';
  switch (method) {
    case 'GET':
      if (watch) return 'watch';
      return collection ? 'list' : 'get';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return collection ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}

/** Answers the discovery and OpenAPI routes. */
function discoveryResult(
  route: Exclude<Route, { kind: 'collection' | 'object' }>,
  pathname: string,
): ApiResult {
  const ok = (body: unknown) =>
    body
      ? { status: 200, body }
      : { status: 404, body: StatusError.notFoundPath().toStatus() };
  switch (route.kind) {
    case 'version':
      return ok(versionInfo());
    case 'coreVersions':
      return ok(coreApiVersions());
    case 'groupList':
      return ok(apiGroupList());
    case 'group':
      return ok(apiGroupInfo(route.group));
    case 'resourceList':
      return ok(apiResourceList(route.group, route.version));
    default: {
      // route.kind is 'openapi', the only kind left.
      const rest = pathname.replace(/^\/openapi\/?/, '');
      if (rest === 'v3') return ok(openApiV3Index());
      return ok(
        rest.startsWith('v3/')
          ? openApiV3GroupVersion(rest.slice(3))
          : undefined,
      );
    }
  }
}

/**
 * Starts a sandbox Kubernetes API server over HTTPS on 127.0.0.1.
 *
 * @public
 */
export async function startKubernetesSandbox(
  options: SandboxOptions = {},
): Promise<KubernetesSandbox> {
  const cert = sandboxCertificate();
  const store = new Store();
  const rollout = new Rollout(store, options.rolloutDelayMs ?? 200);
  const api = new ObjectApi(store, rollout);
  const auth = new TokenAuth(options.tokens ?? { 'sandbox-token': '*' });
  const faults = new FaultInjector();
  const requestLog: SandboxRequestLogEntry[] = [];
  const watches = new Set<() => void>();
  let writes = 0;

  for (const ns of ['default', ...(options.namespaces ?? [])]) {
    api.ensureNamespace(ns);
  }

  const handle = async (
    req: IncomingMessage,
    res: ServerResponse,
    entry: SandboxRequestLogEntry,
    url: URL,
  ) => {
    const method = (req.method ?? 'GET').toUpperCase();
    const body = await readBody(req);
    if (WRITE_METHODS.includes(method) && !asksForDryRun(url, body)) {
      writes += 1;
    }

    const fault = faults.take(method, url.pathname);
    if (await answerFault(fault, req, res)) {
      return;
    }

    const user = auth.authenticate(req.headers.authorization);
    if (user) entry.token = user.label;
    if (!user) throw StatusError.unauthorized();

    const route = parseRoute(url.pathname);
    const query = url.searchParams;
    const watch = ['true', '1'].includes(query.get('watch') ?? '');

    if (route.kind !== 'collection' && route.kind !== 'object') {
      const found = discoveryResult(route, url.pathname);
      sendJson(res, found.status, found.body);
      return;
    }

    const contentType = req.headers['content-type'] ?? '';
    if (body.length > 0 && contentType.includes('protobuf')) {
      // kubectl sends built-in kinds as protobuf first and falls back to
      // JSON when the server answers 415.
      throw new StatusError(
        415,
        'UnsupportedMediaType',
        'the sandbox reads JSON and YAML only, not protobuf (imperative "kubectl create <kind>" sends protobuf; use "kubectl apply" instead) - accepted media types include: application/json, application/merge-patch+json, application/apply-patch+yaml',
      );
    }
    const verb = verbOf(method, route, watch);
    const namespace = route.type.namespaced ? route.namespace : undefined;
    if (!TokenAuth.allowed(user, namespace)) {
      throw StatusError.forbidden(
        user.label,
        verb,
        route.kind === 'object' && route.subresource
          ? `${route.type.plural}/${route.subresource}`
          : route.type.plural,
        route.type.group,
        route.kind === 'object' ? route.name : '',
        namespace,
      );
    }
    const request: ObjectRequest = {
      method,
      type: route.type,
      namespace,
      name: route.kind === 'object' ? route.name : undefined,
      subresource: route.kind === 'object' ? route.subresource : undefined,
      query,
      contentType: req.headers['content-type'] ?? '',
      body,
      userAgent: req.headers['user-agent'] ?? '',
    };

    let result: ApiResult;
    if (route.kind === 'collection') {
      if (method === 'GET' && watch) {
        if (
          request.namespace !== undefined &&
          !api.namespaceExists(request.namespace)
        ) {
          throw StatusError.notFound('namespaces', '', request.namespace);
        }
        const matches = api.matcher(query);
        const timeout = Number(query.get('timeoutSeconds') ?? '0');
        const w = streamWatch(store, res, {
          type: route.type,
          namespace: request.namespace,
          matches,
          resourceVersion: query.get('resourceVersion') ?? undefined,
          timeoutSeconds: Number.isFinite(timeout) ? timeout : 0,
        });
        watches.add(w.stop);
        await w.done;
        watches.delete(w.stop);
        return;
      }
      if (method === 'GET') result = api.list(request);
      else if (method === 'POST') result = api.create(request);
      else if (method === 'DELETE') result = api.deleteCollection(request);
      else
        throw StatusError.methodNotAllowed(
          `${method} is not allowed on a collection`,
        );
    } else {
      if (method === 'GET') result = api.get(request);
      else if (method === 'PUT') result = api.update(request);
      else if (method === 'PATCH') result = api.patch(request);
      else if (method === 'DELETE') {
        if (request.subresource)
          throw StatusError.methodNotAllowed(
            'DELETE is not allowed on a subresource',
          );
        result = api.delete(request);
      } else
        throw StatusError.methodNotAllowed(
          `${method} is not allowed on an object`,
        );
    }
    sendJson(res, result.status, result.body);
  };

  const server = https.createServer(
    { cert: cert.certPem, key: cert.keyPem },
    (req, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const entry: SandboxRequestLogEntry = {
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        status: 0,
        time: Date.now(),
      };
      requestLog.push(entry);
      res.on('finish', () => {
        entry.status = res.statusCode;
      });
      handle(req, res, entry, url).catch(e => {
        if (res.headersSent) {
          res.end();
          return;
        }
        const error =
          e instanceof StatusError
            ? e
            : new StatusError(
                500,
                'InternalError',
                `Internal error occurred: ${String(e?.message ?? e)}`,
              );
        sendJson(res, error.code, error.toStatus());
      });
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `https://127.0.0.1:${port}`;
  const caData = Buffer.from(cert.caPem).toString('base64');

  return {
    url,
    caData,
    caPem: cert.caPem,
    requestLog,
    clearRequestLog() {
      requestLog.splice(0, requestLog.length);
    },
    writeCount: () => writes,
    injectFaults: f => faults.add(f),
    setWorkloadBehavior: (ns, name, b) => rollout.setBehavior(ns, name, b),
    setDefaultBehavior: b => rollout.setDefaultBehavior(b),
    getObject(apiVersion, kind, namespace, name) {
      const type = findResourceTypeByKind(apiVersion, kind);
      if (!type) return undefined;
      return store.get(type, type.namespaced ? namespace : '', name);
    },
    listObjects: () => store.all(),
    writeKubeconfig(path: string) {
      fs.writeFileSync(
        path,
        renderKubeconfig(url, caData, auth.users as SandboxUser[]),
        {
          mode: 0o600,
        },
      );
    },
    async close() {
      rollout.close();
      for (const stop of [...watches]) stop();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
