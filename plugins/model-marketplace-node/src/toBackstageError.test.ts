import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { toBackstageError } from './toBackstageError';

const apiException = (code: number, body: any) => ({
  code,
  body,
  message: 'Unsuccessful HTTP Request',
  headers: { authorization: 'Bearer sekret-token-123' },
});

describe('toBackstageError', () => {
  it('maps status codes to Backstage errors', () => {
    expect(
      toBackstageError(apiException(403, { message: 'forbidden' }), 'x'),
    ).toBeInstanceOf(NotAllowedError);
    expect(toBackstageError(apiException(404, {}), 'x')).toBeInstanceOf(
      NotFoundError,
    );
    expect(toBackstageError(apiException(422, {}), 'x')).toBeInstanceOf(
      InputError,
    );
    expect(toBackstageError(apiException(400, {}), 'x')).toBeInstanceOf(
      InputError,
    );
    const e = toBackstageError(apiException(500, { message: 'oops' }), 'x');
    expect(e.message).toBe('Cannot x: oops (HTTP 500)');
  });

  it('names the conflicting fields and manager', () => {
    const e = toBackstageError(
      apiException(409, {
        kind: 'Status',
        message:
          'Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas',
        reason: 'Conflict',
        details: {
          causes: [
            {
              reason: 'FieldManagerConflict',
              message: 'conflict with "kubectl" using apps/v1',
              field: '.spec.replicas',
            },
          ],
        },
      }),
      'apply Deployment a/b',
    );
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.message).toContain('.spec.replicas');
    expect(e.message).toContain('"kubectl"');
  });

  it('never carries headers or the token', () => {
    const e = toBackstageError(
      apiException(401, { message: 'bad token sekret-token-123' }),
      'read x',
      ['sekret-token-123'],
    );
    expect(e.message).not.toContain('sekret-token-123');
    expect(JSON.stringify(e)).not.toContain('sekret');
    expect(e.message).toContain('[redacted]');
  });

  it('reads a Status from a JSON text body, and keeps a plain text body as the message', () => {
    const json = toBackstageError(
      apiException(
        409,
        JSON.stringify({ message: 'already exists', reason: 'AlreadyExists' }),
      ),
      'create Service a/b',
    );
    expect(json).toBeInstanceOf(ConflictError);
    expect(json.message).toBe('Cannot create Service a/b: already exists');

    const text = toBackstageError(
      apiException(502, `<html>${'x'.repeat(600)}</html>`),
      'read x',
    );
    expect(text.name).toBe('KubernetesApiError');
    expect(text.message).toBe(
      `Cannot read x: <html>${'x'.repeat(494)} (HTTP 502)`,
    );

    expect(toBackstageError(apiException(503, 'null'), 'read x').message).toBe(
      'Cannot read x: HTTP 503 (HTTP 503)',
    );
    expect(
      toBackstageError(
        apiException(503, { reason: 'ServiceUnavailable' }),
        'read x',
      ).message,
    ).toBe('Cannot read x: ServiceUnavailable (HTTP 503)');
  });

  it('keeps the Status message of a 409 that names no fields', () => {
    const e = toBackstageError(
      apiException(409, {
        message: 'the object has been modified',
        details: { causes: [{ reason: 'Other', message: 'no field' }] },
      }),
      'update Deployment a/b',
    );
    expect(e).toBeInstanceOf(ConflictError);
    expect(e.message).toBe(
      'Cannot update Deployment a/b: the object has been modified',
    );
    const unnamed = toBackstageError(
      apiException(409, {
        message: 'Apply failed',
        details: { causes: [{ reason: 'FieldManagerConflict' }] },
      }),
      'apply x',
    );
    expect(unnamed.message).toBe(
      'Cannot apply x: fields are managed by another field manager: ? (owned by another manager). Apply failed',
    );
  });

  it('describes failures without a status: cancelled, connection, anything else', () => {
    const aborted = toBackstageError(
      Object.assign(new Error('This operation was aborted'), {
        name: 'AbortError',
      }),
      'deploy m',
    );
    expect(aborted.name).toBe('AbortError');
    expect(aborted.message).toBe('Cannot deploy m: cancelled');

    expect(
      toBackstageError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
          code: 'ECONNREFUSED',
        }),
        'list pods',
      ).message,
    ).toBe('Cannot list pods: connection failed (ECONNREFUSED)');
    expect(
      toBackstageError(new Error('socket hang up'), 'list pods').message,
    ).toBe('Cannot list pods: connection failed (reset)');
    expect(toBackstageError('weird', 'list pods').message).toBe(
      'Cannot list pods: weird',
    );
    expect(
      toBackstageError(new Error('Bearer abc.def token leaked'), 'list pods')
        .message,
    ).toBe('Cannot list pods: Bearer [redacted] token leaked');
  });

  it('redacts only secrets of at least four characters', () => {
    const e = toBackstageError(
      apiException(403, { message: 'user abc with key abcd-1 denied' }),
      'read x',
      ['abc', 'abcd-1', ''],
    );
    expect(e.message).toBe(
      'Cannot read x: user abc with key [redacted] denied',
    );
  });
});
