import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { z } from 'zod/v3';
import { builtOnce, withSchemasBuiltOnce } from './schemasBuiltOnce';

describe('builtOnce', () => {
  it('builds once per zod instance and returns the same schema after', () => {
    const build = jest.fn((zod: typeof z) => zod.object({ n: zod.number() }));
    const once = builtOnce(build);
    const first = once(z);
    expect(once(z)).toBe(first);
    expect(build).toHaveBeenCalledTimes(1);
    // another zod instance gets a schema of its own
    const other = { ...z } as typeof z;
    expect(once(other)).not.toBe(first);
    expect(build).toHaveBeenCalledTimes(2);
  });
});

describe('withSchemasBuiltOnce, in Backstage’s actions registry', () => {
  const inputBuilds = jest.fn();
  const outputBuilds = jest.fn();

  const testPlugin = createBackendPlugin({
    pluginId: 'schema-test',
    register(env) {
      env.registerInit({
        deps: {
          actionsRegistry: actionsRegistryServiceRef,
        },
        async init({ actionsRegistry }) {
          withSchemasBuiltOnce(actionsRegistry).register({
            name: 'double',
            title: 'Double',
            description: 'Doubles a number',
            attributes: { readOnly: true, idempotent: true },
            schema: {
              input: zod => {
                inputBuilds();
                return zod.object({ n: zod.number().describe('a number') });
              },
              output: zod => {
                outputBuilds();
                return zod.object({ twice: zod.number() });
              },
            },
            action: async ({ input }) => ({ output: { twice: input.n * 2 } }),
          });
        },
      });
    },
  });

  it('lists and invokes as before, building each schema once', async () => {
    const { server } = await startTestBackend({
      features: [testPlugin, actionsRegistryServiceFactory],
    });
    const user = mockCredentials.user.header('user:default/someone');
    const listed: unknown[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await request(server)
        .get('/api/schema-test/.backstage/actions/v1/actions')
        .set('Authorization', user);
      expect(res.status).toBe(200);
      listed.push(res.body.actions[0].schema);
    }
    expect(listed[0]).toMatchObject({
      input: {
        type: 'object',
        properties: { n: { type: 'number', description: 'a number' } },
        required: ['n'],
      },
      output: { properties: { twice: { type: 'number' } } },
    });
    expect(listed[2]).toEqual(listed[0]);

    const invoke = (body: object) =>
      request(server)
        .post(
          '/api/schema-test/.backstage/actions/v1/actions/schema-test:double/invoke',
        )
        .set('Authorization', user)
        .send(body);
    const ok = await invoke({ n: 21 });
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ output: { twice: 42 } });
    // a built schema still refuses what it should, every time
    for (let i = 0; i < 2; i++) {
      const bad = await invoke({ n: 'x' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain('Invalid input');
    }

    expect(inputBuilds).toHaveBeenCalledTimes(1);
    expect(outputBuilds).toHaveBeenCalledTimes(1);
  });
});
