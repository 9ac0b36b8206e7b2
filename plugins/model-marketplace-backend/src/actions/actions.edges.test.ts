import { actionsRegistryServiceFactory } from '@backstage/backend-defaults/alpha';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { modelMarketplacePlugin } from '../plugin';
import {
  loadExampleEntities,
  withCatalogFields,
} from '../__testUtils__/exampleEntities';

jest.setTimeout(60_000);

const marcus = mockCredentials.user.header('user:default/marcus.bell'); // team-assistants
const service = mockCredentials.service.header();

const longDescription = `A classifier ${'with a long description '.repeat(12)}`;

/** Models whose metrics are not declared, or that have none. */
const extraModels = [
  withCatalogFields({
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: {
      name: 'undeclared-metrics-model',
      description: longDescription,
    },
    spec: {
      type: 'classifier',
      lifecycle: 'experimental',
      owner: 'ml-platform',
      access: { policy: 'open' },
      versions: [
        {
          version: '1.0.0',
          artifact: 'hf://acme/undeclared',
          metrics: { accuracy: 0.91 },
        },
        {
          version: '2.0.0',
          artifact: 'hf://acme/undeclared-2',
          metrics: { accuracy: 0.93 },
        },
      ],
    },
  }),
  withCatalogFields({
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'metricless-model', description: 'Short.' },
    spec: {
      type: 'classifier',
      lifecycle: 'experimental',
      owner: 'ml-platform',
      access: { policy: 'open' },
      versions: [
        { version: '0.1.0', artifact: 'hf://acme/metricless', default: true },
      ],
    },
  }),
];

describe('the marketplace actions on models without declared metrics', () => {
  let server: any;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        modelMarketplacePlugin,
        actionsRegistryServiceFactory,
        catalogServiceMock.factory({
          entities: [...loadExampleEntities(), ...extraModels],
        }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    }));
  });

  const invoke = (name: string, as: string, input: unknown) =>
    request(server)
      .post(
        `/api/model-marketplace/.backstage/actions/v1/actions/model-marketplace:${name}/invoke`,
      )
      .set('Authorization', as)
      .send(input as object);

  it('labels an undeclared metric by its key, without unit or direction', async () => {
    const res = await invoke('get-model', marcus, {
      model: 'undeclared-metrics-model',
    });
    expect(res.status).toBe(200);
    const { output } = res.body;
    expect(output.versions).toEqual([
      expect.objectContaining({
        version: '1.0.0',
        default: false,
        metrics: [{ name: 'accuracy', label: 'accuracy', value: 0.91 }],
      }),
      expect.objectContaining({
        version: '2.0.0',
        default: false,
        metrics: [{ name: 'accuracy', label: 'accuracy', value: 0.93 }],
      }),
    ]);
    expect(output.access.policy).toBe('open');
  });

  it('cuts a long description to 160 characters ending in an ellipsis', async () => {
    const res = await invoke('get-model', marcus, {
      model: 'model:default/undeclared-metrics-model',
    });
    const { description } = res.body.output.model;
    expect(description).toHaveLength(160);
    expect(description.endsWith('…')).toBe(true);
    expect(longDescription.startsWith(description.slice(0, -1))).toBe(true);
    const short = await invoke('get-model', marcus, {
      model: 'metricless-model',
    });
    expect(short.body.output.model.description).toBe('Short.');
    expect(short.body.output.versions[0].metrics).toEqual([]);
  });

  it('compares the first version when none is default, and ranks nothing undeclared', async () => {
    const res = await invoke('compare-models', marcus, {
      models: ['undeclared-metrics-model', 'metricless-model'],
    });
    expect(res.status).toBe(200);
    const { output } = res.body;
    expect(output.models.map((m: any) => [m.ref, m.comparedVersion])).toEqual([
      ['model:default/undeclared-metrics-model', '1.0.0'],
      ['model:default/metricless-model', '0.1.0'],
    ]);
    expect(output.metrics).toHaveLength(1);
    const [accuracy] = output.metrics;
    expect(accuracy).toMatchObject({
      name: 'accuracy',
      label: 'accuracy',
      best: [],
      values: [
        { model: 'model:default/undeclared-metrics-model', value: 0.91 },
        { model: 'model:default/metricless-model' },
      ],
    });
    expect(accuracy.direction).toBeUndefined();
    expect(accuracy.unrankedReason).toEqual(expect.any(String));
  });

  it('names the unknown model it cannot read', async () => {
    const res = await invoke('get-model', marcus, { model: 'no-such-model' });
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
    expect(res.body.error.message).toContain('Cannot read model no-such-model');
  });

  it('names the unknown field and lists the expected ones', async () => {
    const res = await invoke('list-requests', marcus, { team: 'x' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("unknown field 'team'");
    expect(res.body.error.message).toContain("'status', 'model', 'limit'");
  });

  it('refuses a service caller where REST needs a user, naming why', async () => {
    const listed = await invoke('list-requests', service, {});
    const rest = await request(server)
      .get('/api/model-marketplace/requests')
      .query('role=requester')
      .set('Authorization', service);
    expect(listed.status).toBe(400);
    expect(rest.status).toBe(400);
    expect(listed.body.error.message).toBe(
      `Cannot list requests: ${rest.body.error.message}`,
    );
    expect(listed.body.error.message).toContain('needs user credentials');

    const created = await invoke('request-model', service, {
      model: 'llama-3-1-8b-instruct',
      team: 'team-assistants',
      purpose: 'as a service',
    });
    expect(created.status).toBe(403);
    expect(created.body.error.name).toBe('NotAllowedError');
    expect(created.body.error.message).toContain(
      "Cannot request llama-3-1-8b-instruct for team-assistants: This endpoint does not allow 'service' credentials",
    );
  });
});
