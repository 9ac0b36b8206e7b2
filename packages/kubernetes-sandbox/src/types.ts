/**
 * What a simulated workload does after it is created or changed.
 *
 * @public
 */
export type WorkloadBehavior =
  | 'ready'
  | 'progress-deadline-exceeded'
  | 'never-ready';

/**
 * Options for {@link startKubernetesSandbox}.
 *
 * @public
 */
export interface SandboxOptions {
  /** Port to listen on; default 0 (a port chosen by the OS). */
  port?: number;
  /** Bearer token -> namespaces it may access ('*' = all, including cluster-scoped). */
  tokens?: Record<string, string[] | '*'>;
  /** Namespaces that exist at start. */
  namespaces?: string[];
  /** Simulated time until a workload becomes ready (default 200). */
  rolloutDelayMs?: number;
}

/**
 * One request seen by the sandbox. Never holds a token, only its label.
 *
 * @public
 */
export interface SandboxRequestLogEntry {
  method: string;
  path: string;
  query: string;
  status: number;
  /** A label such as 'token#1', never the token itself. */
  token?: string;
  time: number;
}

/**
 * A fault to answer the next `count` matching requests with.
 *
 * @public
 */
export interface SandboxFault {
  kind: '429' | '500' | 'reset' | 'slow';
  count: number;
  retryAfterSeconds?: number;
  delayMs?: number;
  match?: { method?: string; pathIncludes?: string };
}

/**
 * A running sandbox.
 *
 * @public
 */
export interface KubernetesSandbox {
  /** https://127.0.0.1:<port> */
  url: string;
  /** Base64 PEM of the CA that signed the server certificate. */
  caData: string;
  caPem: string;
  /** Every request, in order. */
  requestLog: SandboxRequestLogEntry[];
  clearRequestLog(): void;
  /** Number of mutating requests (POST/PUT/PATCH/DELETE without dryRun) so far. */
  writeCount(): number;
  injectFaults(f: SandboxFault): void;
  setWorkloadBehavior(
    namespace: string,
    name: string,
    b: WorkloadBehavior,
  ): void;
  setDefaultBehavior(b: WorkloadBehavior): void;
  getObject(
    apiVersion: string,
    kind: string,
    namespace: string,
    name: string,
  ): any | undefined;
  listObjects(): any[];
  /** One context per token, named after the token label; cluster named 'sandbox'. */
  writeKubeconfig(path: string): void;
  close(): Promise<void>;
}
