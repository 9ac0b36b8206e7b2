import {
  describeFailure,
  observeRetries,
  retryDelayMs,
  sleep,
  withRetry,
} from './retryPolicy';

describe('retryDelayMs', () => {
  it('backs off exponentially with a cap for 5xx and resets', () => {
    expect(retryDelayMs({ status: 500 }, 1)).toBe(100);
    expect(retryDelayMs({ status: 503 }, 2)).toBe(200);
    expect(retryDelayMs({ connectionError: true }, 3)).toBe(400);
    expect(
      retryDelayMs({ status: 500 }, 9, { maxAttempts: 20, maxDelayMs: 2000 }),
    ).toBe(2000);
  });

  it('honours Retry-After on 429', () => {
    expect(retryDelayMs({ status: 429, retryAfterMs: 1000 }, 1)).toBe(1000);
    expect(retryDelayMs({ status: 429 }, 1)).toBe(100);
    expect(
      retryDelayMs({ status: 429, retryAfterMs: 120_000 }, 1, {
        maxRetryAfterMs: 5000,
      }),
    ).toBe(5000);
  });

  it('never retries other 4xx, and stops after maxAttempts', () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      expect(retryDelayMs({ status }, 1)).toBeUndefined();
    }
    expect(retryDelayMs({ status: 500 }, 5)).toBeUndefined();
    expect(
      retryDelayMs({ status: 500 }, 2, { maxAttempts: 2 }),
    ).toBeUndefined();
  });
});

describe('describeFailure', () => {
  it('reads ApiException-like and FetchError-like errors', () => {
    expect(
      describeFailure({ code: 429, headers: { 'retry-after': '2' } }),
    ).toEqual({ status: 429, retryAfterMs: 2000 });
    expect(
      describeFailure(Object.assign(new Error('x'), { code: 'ECONNRESET' })),
    ).toEqual({ connectionError: true });
    expect(
      describeFailure(new Error('request failed, reason: socket hang up')),
    ).toEqual({ connectionError: true });
    expect(describeFailure(new Error('boom'))).toEqual({});
  });

  it('reads Retry-After as seconds or an HTTP date, and ignores junk', () => {
    expect(
      describeFailure({ code: 503, headers: { 'Retry-After': 3 } }),
    ).toEqual({ status: 503, retryAfterMs: 3000 });
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const fromDate = describeFailure({
      code: 429,
      headers: { 'retry-after': inAMinute },
    }).retryAfterMs!;
    // An HTTP date has whole seconds: up to a second early, never late.
    expect(fromDate).toBeGreaterThan(58_000);
    expect(fromDate).toBeLessThanOrEqual(60_000);
    const past = new Date(Date.now() - 60_000).toUTCString();
    expect(
      describeFailure({ code: 429, headers: { 'retry-after': past } }),
    ).toEqual({ status: 429, retryAfterMs: 0 });
    expect(
      describeFailure({ code: 429, headers: { 'retry-after': 'soon' } }),
    ).toEqual({ status: 429, retryAfterMs: undefined });
    expect(
      describeFailure({ code: 429, headers: { 'retry-after': ['1'] } }),
    ).toEqual({ status: 429, retryAfterMs: undefined });
    expect(describeFailure({ code: 500, headers: 'none' })).toEqual({
      status: 500,
      retryAfterMs: undefined,
    });
  });

  it('knows connection failures by errno and gives nothing for non-objects', () => {
    expect(describeFailure({ errno: 'ECONNREFUSED' })).toEqual({
      connectionError: true,
    });
    expect(describeFailure({ message: 'network timeout at: x' })).toEqual({
      connectionError: true,
    });
    expect(describeFailure('ECONNRESET')).toEqual({});
    expect(describeFailure(undefined)).toEqual({});
  });
});

describe('withRetry', () => {
  it('retries until success and not on 4xx', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          if (calls < 3) throw Object.assign(new Error('x'), { code: 500 });
          return 'ok';
        },
        { baseDelayMs: 1 },
      ),
    ).resolves.toBe('ok');
    expect(calls).toBe(3);

    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw Object.assign(new Error('forbidden'), { code: 403 });
        },
        { baseDelayMs: 1 },
      ),
    ).rejects.toMatchObject({ code: 403 });
    expect(calls).toBe(1);
  });
});

describe('sleep and abortError', () => {
  it('resolves after the delay when nothing aborts', async () => {
    const controller = new AbortController();
    await expect(sleep(1, controller.signal)).resolves.toBeUndefined();
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  it('rejects at once with an AbortError when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('user left'));
    await expect(sleep(60_000, controller.signal)).rejects.toMatchObject({
      name: 'AbortError',
      message: 'Cancelled: user left',
    });
  });

  it('rejects when aborted while waiting', async () => {
    const controller = new AbortController();
    const waiting = sleep(600_000, controller.signal);
    controller.abort('not an error');
    await expect(waiting).rejects.toMatchObject({
      name: 'AbortError',
      message: 'Cancelled',
    });
  });
});

describe('withRetry with an observer and a signal', () => {
  it('reports each retry with its reason to the observer of observeRetries', async () => {
    const failures = [
      Object.assign(new Error('throttled'), { code: 429 }),
      Object.assign(new Error('down'), { code: 502 }),
      Object.assign(new Error('reset'), { code: 'ECONNRESET' }),
    ];
    const reasons: string[] = [];
    const retries: Array<{ attempt: number; delayMs: number }> = [];
    const result = await observeRetries(
      reason => reasons.push(reason),
      () =>
        withRetry(
          async attempt => {
            const failure = failures[attempt - 1];
            if (failure) throw failure;
            return attempt;
          },
          {
            baseDelayMs: 1,
            onRetry: ({ attempt, delayMs }) =>
              retries.push({ attempt, delayMs }),
          },
        ),
    );
    expect(result).toBe(4);
    expect(reasons).toEqual(['throttled', 'server-error', 'connection']);
    expect(retries).toEqual([
      { attempt: 1, delayMs: 1 },
      { attempt: 2, delayMs: 2 },
      { attempt: 3, delayMs: 4 },
    ]);
  });

  it('throws the failure instead of retrying once the signal is aborted', async () => {
    const controller = new AbortController();
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          controller.abort();
          throw Object.assign(new Error('down'), { code: 503 });
        },
        { baseDelayMs: 1, signal: controller.signal },
      ),
    ).rejects.toThrow('down');
    expect(calls).toBe(1);
  });

  it('stops waiting for the next attempt when aborted mid-delay', async () => {
    const controller = new AbortController();
    let calls = 0;
    const running = withRetry(
      async () => {
        calls += 1;
        throw Object.assign(new Error('down'), { code: 503 });
      },
      {
        baseDelayMs: 600_000,
        maxDelayMs: 600_000,
        signal: controller.signal,
        onRetry: () => controller.abort(new Error('shutting down')),
      },
    );
    await expect(running).rejects.toMatchObject({
      name: 'AbortError',
      message: 'Cancelled: shutting down',
    });
    expect(calls).toBe(1);
  });
});
