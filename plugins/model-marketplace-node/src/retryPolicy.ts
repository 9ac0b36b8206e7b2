import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * When and how long to wait before retrying a Kubernetes API call.
 *
 * @public
 */
export type RetryOptions = {
  /** Attempts in total, the first included. Default 5. */
  maxAttempts?: number;
  /** Delay before the first retry; doubles each time. Default 100 ms. */
  baseDelayMs?: number;
  /** Cap of the exponential delay. Default 2000 ms. */
  maxDelayMs?: number;
  /** Cap of a server's Retry-After. Default 30 s. */
  maxRetryAfterMs?: number;
};

/** What a failed call looked like, as far as retrying is concerned. @public */
export type FailureInfo = {
  /** HTTP status of the answer, when there was one. */
  status?: number;
  /** The Retry-After header, in milliseconds. */
  retryAfterMs?: number;
  /** The connection failed (reset, hang-up, timeout) before an answer. */
  connectionError?: boolean;
};

const CONNECTION_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
]);

function parseRetryAfter(value: unknown): number | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') {
    return undefined;
  }
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) {
    return seconds * 1000;
  }
  const date = Date.parse(String(value));
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Reads an error thrown by `@kubernetes/client-node` (an `ApiException`
 * with `code` and response `headers`, or a `FetchError` from the transport).
 *
 * @public
 */
export function describeFailure(error: unknown): FailureInfo {
  if (!error || typeof error !== 'object') {
    return {};
  }
  const e: {
    code?: unknown;
    errno?: unknown;
    headers?: unknown;
    message?: unknown;
  } = error;
  if (typeof e.code === 'number') {
    const headers = isRecord(e.headers) ? e.headers : {};
    const retryAfter =
      headers['retry-after'] ?? headers['Retry-After'] ?? undefined;
    return { status: e.code, retryAfterMs: parseRetryAfter(retryAfter) };
  }
  const code = typeof e.code === 'string' ? e.code : e.errno;
  const message = String(e.message ?? '');
  if (
    (typeof code === 'string' && CONNECTION_CODES.has(code)) ||
    /socket hang up|ECONNRESET|ETIMEDOUT|network timeout/i.test(message)
  ) {
    return { connectionError: true };
  }
  return {};
}

/**
 * The delay before the next attempt, or `undefined` when the call must not
 * be retried: only 429, 5xx and connection failures are retried, never any
 * other 4xx, and never more than `maxAttempts` times in total.
 *
 * @param attempt - the attempt that just failed, counting from 1
 * @public
 */
export function retryDelayMs(
  failure: FailureInfo,
  attempt: number,
  options: RetryOptions = {},
): number | undefined {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 100;
  const cap = options.maxDelayMs ?? 2000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 30_000;
  if (attempt >= maxAttempts) {
    return undefined;
  }
  const retryable =
    failure.connectionError ||
    failure.status === 429 ||
    (failure.status !== undefined && failure.status >= 500);
  if (!retryable) {
    return undefined;
  }
  const backoff = Math.min(cap, base * 2 ** (attempt - 1));
  if (failure.status === 429 && failure.retryAfterMs !== undefined) {
    return Math.min(maxRetryAfter, Math.max(failure.retryAfterMs, 0));
  }
  return backoff;
}

/** Waits, unless the signal aborts first. @public */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined = undefined;
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The error an aborted operation fails with. @public */
export function abortError(signal: AbortSignal): Error {
  const error = new Error(
    signal.reason instanceof Error
      ? `Cancelled: ${signal.reason.message}`
      : 'Cancelled',
  );
  error.name = 'AbortError';
  return error;
}

/** Why a call is retried, as a bounded label. @public */
export type RetryReason = 'throttled' | 'server-error' | 'connection';

/** The reason of a retryable failure. */
function retryReason(failure: FailureInfo): RetryReason {
  if (failure.status === 429) {
    return 'throttled';
  }
  return failure.status === undefined ? 'connection' : 'server-error';
}

const retryObservers = new AsyncLocalStorage<(reason: RetryReason) => void>();

/**
 * Runs `fn` and tells `observer` about every retried Kubernetes API call
 * made within it (also by the calls it starts), e.g. to count them as a
 * metric.
 *
 * @public
 */
export function observeRetries<T>(
  observer: (reason: RetryReason) => void,
  fn: () => Promise<T>,
): Promise<T> {
  return retryObservers.run(observer, fn);
}

/**
 * Runs `fn`, retrying it by {@link retryDelayMs}; each retry is reported to
 * the observer of {@link observeRetries}, if any.
 *
 * @public
 */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions & {
    signal?: AbortSignal;
    onRetry?: (info: {
      attempt: number;
      delayMs: number;
      failure: FailureInfo;
    }) => void;
  } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      const failure = describeFailure(error);
      const delayMs = retryDelayMs(failure, attempt, options);
      if (delayMs === undefined || options.signal?.aborted) {
        throw error;
      }
      options.onRetry?.({ attempt, delayMs, failure });
      retryObservers.getStore()?.(retryReason(failure));
      await sleep(delayMs, options.signal);
    }
  }
}
