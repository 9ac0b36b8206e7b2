import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ResponseError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { asCallerError } from './asCallerError';

/** A ResponseError as the REST clients throw it for an answer. */
function answer(status: number, body: unknown) {
  return ResponseError.fromResponse(
    new Response(typeof body === 'string' ? body : JSON.stringify(body), {
      status,
      statusText: 'x',
      headers: {
        'Content-Type':
          typeof body === 'string' ? 'text/plain' : 'application/json',
      },
    }),
  );
}

describe('asCallerError', () => {
  it("keeps the kind the REST API named, with the API's message", async () => {
    const error = asCallerError(
      await answer(409, {
        error: { name: 'ConflictError', message: 'Request r1 is decided' },
        request: { method: 'POST', url: '/requests/r1/decision' },
        response: { statusCode: 409 },
      }),
      'Cannot decide',
    );
    expect(error).toBeInstanceOf(ConflictError);
    expect(error.message).toBe('Cannot decide: Request r1 is decided');
  });

  it('takes the kind from the status when the body is not an error body', async () => {
    const cases: Array<[number, new (m: string) => Error]> = [
      [400, InputError],
      [403, NotAllowedError],
      [404, NotFoundError],
      [503, ServiceUnavailableError],
    ];
    for (const [status, Kind] of cases) {
      const error = asCallerError(
        await answer(status, `proxy said ${status}`),
        'Call',
      );
      expect(error).toBeInstanceOf(Kind);
      expect(error.message).toBe(
        `Call: Request failed with status ${status} x, proxy said ${status}`,
      );
    }
  });

  it('falls back to a plain Error and the transport message', async () => {
    const error = asCallerError(await answer(418, 'teapot'), 'Brew');
    expect(error.constructor).toBe(Error);
    expect(error.message).toBe(
      'Brew: Request failed with status 418 x, teapot',
    );
  });

  it('keeps known kinds of thrown errors and wraps the rest', () => {
    const known = asCallerError(new NotFoundError('no task t1'), 'Read');
    expect(known).toBeInstanceOf(NotFoundError);
    expect(known.message).toBe('Read: no task t1');
    const other = asCallerError(new TypeError('fetch failed'), 'Read');
    expect(other.constructor).toBe(Error);
    expect(other.message).toBe('Read: fetch failed');
    const thrown = asCallerError('boom', 'Read');
    expect(thrown.message).toBe('Read: boom');
  });
});
