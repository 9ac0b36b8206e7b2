import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import authPlugin from '@backstage/plugin-auth-backend';
import request from 'supertest';
import devUserAuthModule, { DEV_USER_HEADER } from './devUserAuthModule';

// starting the auth backend takes seconds on a busy machine
jest.setTimeout(60_000);

const helen = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: 'helen.park', namespace: 'default' },
  spec: { memberOf: ['ai-governance'] },
  relations: [{ type: 'memberOf', targetRef: 'group:default/ai-governance' }],
};

async function start(auth: object = { providers: { devUser: {} } }) {
  const { server } = await startTestBackend({
    features: [
      authPlugin,
      devUserAuthModule,
      catalogServiceMock.factory({ entities: [helen] }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth,
        },
      }),
    ],
  });
  return server;
}

describe('devUserAuthModule', () => {
  it('signs in as the catalog user named by the header', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/auth/devUser/refresh')
      .set(DEV_USER_HEADER, 'helen.park');
    expect(res.status).toBe(200);
    expect(res.body.backstageIdentity.identity).toEqual(
      expect.objectContaining({
        userEntityRef: 'user:default/helen.park',
        ownershipEntityRefs: expect.arrayContaining([
          'group:default/ai-governance',
        ]),
      }),
    );
  });

  it('refuses a user the catalog does not have, and a missing header', async () => {
    const server = await start();
    const unknown = await request(server)
      .get('/api/auth/devUser/refresh')
      .set(DEV_USER_HEADER, 'mallory');
    expect(unknown.status).toBe(404);
    const missing = await request(server).get('/api/auth/devUser/refresh');
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toContain(DEV_USER_HEADER);
  });

  it('refuses a malformed user name in the header', async () => {
    const server = await start();
    const res = await request(server)
      .get('/api/auth/devUser/refresh')
      .set(DEV_USER_HEADER, '../helen.park');
    expect(res.status).toBe(401);
    expect(res.body.error.message).toBe(
      `Missing or malformed ${DEV_USER_HEADER} header; expected the name of a User entity`,
    );
  });

  it('adds no sign-in provider unless auth.providers.devUser is configured', async () => {
    const server = await start({ providers: {} });
    const res = await request(server)
      .get('/api/auth/devUser/refresh')
      .set(DEV_USER_HEADER, 'helen.park');
    expect(res.status).toBe(404);
  });

  describe('in production', () => {
    const nodeEnv = process.env.NODE_ENV;
    afterEach(() => {
      process.env.NODE_ENV = nodeEnv;
    });

    it('refuses to start, naming the setting to remove', async () => {
      process.env.NODE_ENV = 'production';
      await expect(start()).rejects.toThrow(
        'auth.providers.devUser signs in without a password and is for local development only; remove it from the production configuration',
      );
    });
  });
});
