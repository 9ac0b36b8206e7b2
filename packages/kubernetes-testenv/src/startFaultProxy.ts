import { FaultInjector, answerFault } from '@aic/kubernetes-sandbox';
import type { SandboxFault } from '@aic/kubernetes-sandbox';
import { createHash } from 'node:crypto';
import https from 'node:https';
import { AddressInfo } from 'node:net';

/** One request that went through the proxy. Holds a token's label, never the token. @public */
export interface ProxyRequestLogEntry {
  method: string;
  path: string;
  query: string;
  /** The apiserver's status, or 0 when the proxy dropped the request. */
  status: number;
  /** `token:<first 8 hex of its sha256>`, or undefined without a bearer token. */
  token?: string;
  time: number;
}

/** A TLS proxy in front of the real kube-apiserver that can inject faults. @public */
export interface FaultProxy {
  url: string;
  /** The CA to trust the proxy with (the control plane's CA). */
  caData: string;
  requestLog: ProxyRequestLogEntry[];
  clearRequestLog(): void;
  /** Requests that asked to change something (POST/PUT/PATCH/DELETE without dryRun) and got a 2xx. */
  writeCount(): number;
  injectFaults(fault: SandboxFault): void;
  close(): Promise<void>;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A label for a bearer token that does not reveal it. */
function tokenLabel(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(.+)$/i.exec(authorization ?? '');
  if (!match) return undefined;
  return `token:${createHash('sha256')
    .update(match[1])
    .digest('hex')
    .slice(0, 8)}`;
}

/**
 * Starts an HTTPS proxy on 127.0.0.1 that forwards every request, headers
 * and body as they are (including the caller's bearer token), to the real
 * kube-apiserver, and logs it. Injected faults are chosen and acted out by
 * the sandbox's own `FaultInjector` and `answerFault`: a 429 with
 * Retry-After, a 500, a connection reset, or a slow answer that is then
 * really forwarded.
 *
 * @public
 */
export async function startFaultProxy(options: {
  /** The apiserver, https://127.0.0.1:<port>. */
  target: string;
  /** PEM of the CA that signed the apiserver's certificate. */
  caPem: string;
  /** Certificate and key the proxy serves with (signed by the same CA). */
  certPem: string;
  keyPem: string;
  port?: number;
}): Promise<FaultProxy> {
  const target = new URL(options.target);
  const faults = new FaultInjector();
  const requestLog: ProxyRequestLogEntry[] = [];
  const agent = new https.Agent({
    ca: options.caPem,
    keepAlive: true,
    maxSockets: 64,
  });
  let writes = 0;

  const server = https.createServer(
    { cert: options.certPem, key: options.keyPem },
    (req, res) => {
      const url = new URL(req.url ?? '/', options.target);
      const method = (req.method ?? 'GET').toUpperCase();
      const entry: ProxyRequestLogEntry = {
        method,
        path: url.pathname,
        query: url.search.replace(/^\?/, ''),
        status: 0,
        token: tokenLabel(req.headers.authorization),
        time: Date.now(),
      };
      requestLog.push(entry);
      const forward = () => {
        const upstream = https.request(
          {
            protocol: 'https:',
            hostname: target.hostname,
            port: target.port,
            method,
            path: req.url,
            headers: { ...req.headers, host: target.host },
            agent,
          },
          answer => {
            entry.status = answer.statusCode ?? 0;
            const ok = entry.status >= 200 && entry.status < 300;
            if (
              ok &&
              WRITE_METHODS.has(method) &&
              url.searchParams.getAll('dryRun').length === 0
            ) {
              writes += 1;
            }
            res.writeHead(entry.status, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on('error', error => {
          if (!res.headersSent) {
            res.writeHead(502, { 'Content-Type': 'text/plain' });
          }
          res.end(`fault proxy: upstream failed: ${error.message}`);
        });
        req.pipe(upstream);
        res.on('close', () => upstream.destroy());
      };
      const fault = faults.take(method, url.pathname);
      answerFault(fault, req, res)
        .then(answered => {
          if (answered) {
            entry.status = res.headersSent ? res.statusCode : 0;
            return;
          }
          if (req.destroyed) return;
          forward();
        })
        .catch(() => req.socket.destroy());
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    caData: Buffer.from(options.caPem).toString('base64'),
    requestLog,
    clearRequestLog: () => requestLog.splice(0, requestLog.length),
    writeCount: () => writes,
    injectFaults: f => faults.add(f),
    async close() {
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      agent.destroy();
    },
  };
}
