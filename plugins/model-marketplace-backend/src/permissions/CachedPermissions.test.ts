import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import { CachedPermissions } from './CachedPermissions';

const create = createPermission({
  name: 'test.create',
  attributes: { action: 'create' },
  resourceType: 'catalog-entity',
});
const decide = createPermission({
  name: 'test.decide',
  attributes: { action: 'update' },
  resourceType: 'model-marketplace-request',
});

describe('CachedPermissions', () => {
  function setUp(ttlMs = 5_000) {
    const permissions = mockServices.permissions.mock();
    let allow = true;
    permissions.authorize.mockImplementation(async requests =>
      requests.map(() => ({
        result: allow ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
      })),
    );
    permissions.authorizeConditional.mockImplementation(async requests =>
      requests.map(() => ({ result: AuthorizeResult.DENY })),
    );
    const cached = new CachedPermissions(
      permissions,
      mockServices.auth(),
      ttlMs,
    );
    return {
      permissions,
      cached,
      setAllow: (v: boolean) => {
        allow = v;
      },
    };
  }
  const alice = mockCredentials.user('user:default/alice');
  const bob = mockCredentials.user('user:default/bob');

  it('asks once per caller, permission and resource within the TTL', async () => {
    const { permissions, cached } = setUp();
    const ask = (credentials: BackstageCredentials, resourceRef: string) =>
      cached.authorize([{ permission: create, resourceRef }], { credentials });
    await Promise.all([
      ask(alice, 'model:default/a'),
      ask(alice, 'model:default/a'),
    ]);
    await ask(alice, 'model:default/a');
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    await ask(alice, 'model:default/b');
    await ask(bob, 'model:default/a');
    expect(permissions.authorize).toHaveBeenCalledTimes(3);
    await cached.authorizeConditional([{ permission: decide }], {
      credentials: alice,
    });
    await cached.authorizeConditional([{ permission: decide }], {
      credentials: alice,
    });
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
  });

  it('asks again after the TTL, so a revoked permission shows', async () => {
    const { permissions, cached, setAllow } = setUp(20);
    const ask = () =>
      cached.authorize(
        [{ permission: create, resourceRef: 'model:default/a' }],
        { credentials: alice },
      );
    expect((await ask())[0].result).toBe(AuthorizeResult.ALLOW);
    setAllow(false);
    expect((await ask())[0].result).toBe(AuthorizeResult.ALLOW); // within TTL
    await new Promise(r => setTimeout(r, 30));
    expect((await ask())[0].result).toBe(AuthorizeResult.DENY);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('never reuses a failure or caches callers without a principal', async () => {
    const { permissions, cached } = setUp();
    permissions.authorize.mockRejectedValueOnce(new Error('backend down'));
    const ask = (credentials: BackstageCredentials = alice) =>
      cached.authorize(
        [{ permission: create, resourceRef: 'model:default/a' }],
        { credentials },
      );
    await expect(ask()).rejects.toThrow('backend down');
    expect((await ask())[0].result).toBe(AuthorizeResult.ALLOW);
    await ask(mockCredentials.none());
    await ask(mockCredentials.none());
    expect(permissions.authorize).toHaveBeenCalledTimes(4);
  });
});
