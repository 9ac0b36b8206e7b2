import { NotAllowedError } from '@backstage/errors';
import { withCleanTaskErrors, withoutStackTrace } from './withoutStackTrace';

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

describe('withCleanTaskErrors', () => {
  it('passes results through and strips the frames of anything thrown', async () => {
    const ok = withCleanTaskErrors(async (x: number) => x * 2);
    await expect(ok(21)).resolves.toBe(42);

    const original = new Error(
      'Deployment team-a/m did not become ready; rollback failed',
    );
    expect(original.stack).toContain(__filename);
    const failing = withCleanTaskErrors(async () => {
      throw original;
    });
    const thrown = await failing().catch(e => e);
    expect(thrown).toBe(original);
    expect(thrown.message).toBe(
      'Deployment team-a/m did not become ready; rollback failed',
    );
    expect(String(thrown.stack)).toBe(
      'Error: Deployment team-a/m did not become ready; rollback failed',
    );
    expect(String(thrown.stack)).not.toContain(__filename);
  });

  it('rethrows a thrown value that is not an error as it is', async () => {
    const failing = withCleanTaskErrors(async () => {
      // eslint-disable-next-line no-throw-literal
      throw 'plain text';
    });
    await expect(failing()).rejects.toBe('plain text');
  });
});
