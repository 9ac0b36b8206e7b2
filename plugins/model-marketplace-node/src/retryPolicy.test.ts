import { describeFailure, retryDelayMs, withRetry } from './retryPolicy';

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
