import { NotAllowedError } from '@backstage/errors';
import { withoutStackTrace } from './withoutStackTrace';

describe('withoutStackTrace', () => {
  it('keeps a user-facing error and its message, without frames', () => {
    const error = new NotAllowedError('not a member of group:default/x');
    const clean = withoutStackTrace(error);
    expect(clean).toBe(error);
    expect(String(clean.stack)).toBe(
      'NotAllowedError: not a member of group:default/x',
    );
  });

  it('turns an unexpected error into a ServiceUnavailableError', () => {
    const clean = withoutStackTrace(new TypeError('x is undefined'));
    expect(clean.name).toBe('ServiceUnavailableError');
    expect(clean.message).toBe('x is undefined');
    expect(String(clean.stack)).toBe('ServiceUnavailableError: x is undefined');
    expect(withoutStackTrace('boom').message).toBe('boom');
  });
});
