import https from 'node:https';

/** Credentials to reach the apiserver: a CA and a client certificate or token. */
export interface ApiCredentials {
  url: string;
  caPem: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
}

/** An answer that was not 2xx. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
    method: string,
    path: string,
  ) {
    super(
      `${method} ${path} answered ${status}: ${
        body?.message ?? JSON.stringify(body)
      }`,
    );
  }
}

/**
 * A very small JSON client for the apiserver, used to set the control plane
 * up (CRDs, nodes, namespaces, RBAC, tokens) and by the test-only KServe
 * status writer. Tests talk to the cluster through the code under test or
 * `@kubernetes/client-node`, not through this.
 */
export class ApiClient {
  private readonly agent: https.Agent;

  constructor(private readonly credentials: ApiCredentials) {
    this.agent = new https.Agent({
      ca: credentials.caPem,
      cert: credentials.clientCertPem,
      key: credentials.clientKeyPem,
      keepAlive: true,
      maxSockets: 8,
    });
  }

  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
    timeoutMs = 30_000,
  ): Promise<T> {
    const url = new URL(path, this.credentials.url);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<T>((resolve, reject) => {
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: {
            Accept: 'application/json',
            ...(payload
              ? {
                  'Content-Type': contentType,
                  'Content-Length': Buffer.byteLength(payload),
                }
              : {}),
            ...(this.credentials.token
              ? { Authorization: `Bearer ${this.credentials.token}` }
              : {}),
          },
          timeout: timeoutMs,
        },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: any = text;
            try {
              parsed = text ? JSON.parse(text) : undefined;
            } catch {
              // not JSON (e.g. /readyz)
            }
            const status = res.statusCode ?? 0;
            if (status >= 200 && status < 300) resolve(parsed as T);
            else reject(new ApiError(status, parsed, method, url.pathname));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () =>
        req.destroy(new Error(`${method} ${url.pathname} timed out`)),
      );
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  }

  /** Server-side apply of one object under `fieldManager` (force: we own these). */
  apply(obj: any, fieldManager: string, force = true): Promise<any> {
    return this.request(
      'PATCH',
      `${objectPath(obj)}?fieldManager=${encodeURIComponent(
        fieldManager,
      )}&force=${force}`,
      obj,
      'application/apply-patch+yaml',
    );
  }

  close() {
    this.agent.destroy();
  }
}

const CLUSTER_SCOPED = new Set([
  'Namespace',
  'Node',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
]);

/** The REST path of an object (plural = lower-case kind + 's', enough here). */
export function objectPath(obj: {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}): string {
  const base = obj.apiVersion.includes('/')
    ? `/apis/${obj.apiVersion}`
    : `/api/${obj.apiVersion}`;
  const plural = `${obj.kind.toLowerCase()}${
    obj.kind.endsWith('s') ? 'es' : 's'
  }`;
  const ns =
    CLUSTER_SCOPED.has(obj.kind) || !obj.metadata.namespace
      ? ''
      : `/namespaces/${obj.metadata.namespace}`;
  return `${base}${ns}/${plural}/${obj.metadata.name}`;
}
