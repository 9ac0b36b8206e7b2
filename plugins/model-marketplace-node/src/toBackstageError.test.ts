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
});
