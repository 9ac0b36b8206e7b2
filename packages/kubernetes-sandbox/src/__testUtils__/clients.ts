import https from 'node:https';
import * as k8s from '@kubernetes/client-node';
import { KubernetesSandbox } from '../types';

/** A KubeConfig for the sandbox with a token, trusting its CA (no skipTLSVerify). */
export function kubeConfigFor(
  sandbox: KubernetesSandbox,
  token: string,
): k8s.KubeConfig {
  const kc = new k8s.KubeConfig();
  kc.loadFromOptions({
    clusters: [
      { name: 'sandbox', server: sandbox.url, caData: sandbox.caData },
    ],
    users: [{ name: 'user', token }],
    contexts: [{ name: 'ctx', cluster: 'sandbox', user: 'user' }],
    currentContext: 'ctx',
  });
  return kc;
}

/** A minimal valid Deployment. */
export function deployment(
  name: string,
  namespace: string,
  replicas = 2,
  labels: Record<string, string> = { app: name },
) {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'server', image: 'example/model:1' }] },
      },
    },
  };
}

/** A minimal valid InferenceService. */
export function inferenceService(name: string, namespace: string) {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: { name, namespace, labels: { app: name } },
    spec: {
      predictor: {
        model: { modelFormat: { name: 'huggingface' }, storageUri: 'hf://x/y' },
      },
    },
  };
}

/** Resolves after `ms`. */
export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes. */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting');
    await sleep(20);
  }
}

/** Runs `fn` and returns the error it throws (fails the test if none). */
export async function errorOf(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

/** A raw HTTPS request to the sandbox; the body is parsed as JSON when it can be. */
export function fetchRaw(
  sandbox: KubernetesSandbox,
  path: string,
  token?: string,
  init: { method?: string; body?: string; contentType?: string } = {},
): Promise<{
  status: number;
  headers: Record<string, unknown>;
  body: any;
  text: string;
}> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${sandbox.url}${path}`,
      {
        method: init.method ?? 'GET',
        ca: sandbox.caPem,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(init.contentType ? { 'Content-Type': init.contentType } : {}),
          // Node sends a DELETE body unframed unless its length is given.
          ...(init.body !== undefined
            ? { 'Content-Length': String(Buffer.byteLength(init.body)) }
            : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: any = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body,
            text,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
