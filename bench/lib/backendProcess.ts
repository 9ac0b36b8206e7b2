/*
 * What the benchmarks share: starting packages/backend from source with an
 * extra config file, stopping its process group, polling until something is
 * ready, and percentiles.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root. */
export const root = resolve(__dirname, '../..');

/**
 * Starts the backend (packages/backend, without file watching) with
 * app-config.yaml, app-config.demo.yaml (guest sign-in) and `configPath`, in its own process group, output
 * discarded (or appended to `logFile`, by default the file BENCH_BACKEND_LOG names).
 */
export function startBackend(
  configPath: string,
  env: Record<string, string> = {},
  options: {
    /** More node options, e.g. `--require` of packages/backend/instrumentation.js. */
    nodeOptions?: string[];
    /** Appends the backend's output to this file (instead of BENCH_BACKEND_LOG). */
    logFile?: string;
  } = {},
): ChildProcess {
  const { nodeOptions = [], logFile = process.env.BENCH_BACKEND_LOG } = options;
  return spawn(
    process.execPath,
    [
      ...nodeOptions,
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
        paths: [root],
      }),
      'src/index',
      '--config',
      join(root, 'app-config.yaml'),
      '--config',
      join(root, 'app-config.demo.yaml'),
      '--config',
      configPath,
    ],
    {
      cwd: join(root, 'packages/backend'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: logFile
        ? ['ignore', ...[0, 0].map(() => openSync(logFile, 'a'))]
        : ['ignore', 'ignore', 'ignore'],
      detached: true,
    },
  );
}

/**
 * Sends `signal` to the backend's process group and waits until it exits,
 * escalating to SIGKILL after 10 s. Returns at once when it has exited.
 */
export async function stopBackend(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGTERM',
) {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }
  const exited = new Promise(r => child.once('exit', r));
  try {
    process.kill(-child.pid!, signal);
  } catch {
    child.kill(signal);
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, 10_000);
  await exited;
  clearTimeout(timer);
}

/**
 * Throws a fatal error (one {@link waitFor} does not retry) when the backend
 * process has exited, naming its exit code or signal, so that a benchmark
 * waiting on it fails at once with the cause instead of polling a dead port
 * until its bound.
 */
export function assertRunning(child: ChildProcess, what = 'the backend') {
  if (child.exitCode !== null || child.signalCode !== null) {
    const error = new Error(
      `${what} (pid ${child.pid}) exited with ${
        child.signalCode
          ? `signal ${child.signalCode}`
          : `code ${child.exitCode}`
      }`,
    );
    Object.assign(error, { fatal: true });
    throw error;
  }
}

/**
 * Calls `fn` every `intervalMs` until it returns a value (errors count as
 * not yet, except one with `fatal: true`, which ends the wait at once), and
 * fails naming `what` and the last error after `timeoutMs`.
 */
export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
  intervalMs = 1000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) {
        return value;
      }
    } catch (e) {
      if ((e as { fatal?: boolean }).fatal) {
        throw e;
      }
      last = e;
    }
    await new Promise(r => setTimeout(r, intervalMs));
  }
  // fetch's own message ("fetch failed") hides the cause (refused, timed out)
  const cause = (last as { cause?: { code?: string; message?: string } })
    ?.cause;
  throw new Error(
    `Timed out waiting for ${what}${last ? `: ${last}` : ''}${
      cause ? ` (${cause.code ?? cause.message})` : ''
    }`,
  );
}

/**
 * Signs in to the backend at `base` and returns the Backstage token: as the
 * guest user, or as `user` through the demo's devUser provider. Undefined
 * while the backend does not answer or cannot sign in yet.
 */
export async function signIn(
  base: string,
  user?: string,
): Promise<string | undefined> {
  const res = user
    ? await fetch(`${base}/api/auth/devUser/refresh`, {
        headers: { 'x-aic-dev-user': user },
      })
    : await fetch(`${base}/api/auth/guest/refresh`);
  if (!res.ok) {
    return undefined;
  }
  const body = (await res.json()) as {
    backstageIdentity: { token: string };
  };
  return body.backstageIdentity.token;
}

/** The p-th percentile (nearest rank) of `values`. */
export function percentile(values: number[], p: number) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  ];
}
