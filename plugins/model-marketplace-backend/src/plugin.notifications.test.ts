import request from 'supertest';
import { withCatalogFields } from './__testUtils__/exampleEntities';
import { startMarketplace, users } from './__testUtils__/startMarketplace';
import { eventually } from './__testUtils__/eventually';

jest.setTimeout(60_000);

const { guest, jonas, service } = users;

/** A model outside the default namespace, owned by ML Platform. */
const researchModel = withCatalogFields({
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'tiny-llm',
    namespace: 'research',
    title: 'Tiny LLM',
  },
  spec: {
    type: 'llm',
    lifecycle: 'experimental',
    owner: 'group:default/ml-platform',
    versions: [
      { version: '0.1.0', artifact: 'pvc://models/tiny', default: true },
    ],
    access: { policy: 'approval' },
    serving: { runtime: 'vllm' },
  },
});

describe('model-marketplace notifications', () => {
  let server: any;
  let send: jest.Mock;

  beforeAll(async () => {
    ({ server, send } = await startMarketplace({ entities: [researchModel] }));
  });
  beforeEach(() => send.mockClear());

  const payloads = () => send.mock.calls.map(([options]) => options);

  it('writes names and links a person can follow, through request, decision and deploy', async () => {
    const created = await request(server)
      .post('/api/model-marketplace/requests')
      .set('Authorization', guest)
      .send({
        model: 'model:research/tiny-llm',
        version: '0.1.0',
        team: 'team-assistants',
        purpose: 'A small chat bot',
      });
    expect(created.status).toBe(201);
    const id = created.body.id;

    await eventually(() => expect(send).toHaveBeenCalledTimes(1));
    expect(payloads()[0]).toEqual({
      recipients: {
        type: 'entity',
        entityRef: ['group:default/ml-platform'],
        excludeEntityRef: 'user:default/guest',
      },
      payload: {
        topic: 'model-marketplace',
        severity: 'normal',
        title: 'Assistants requests Tiny LLM 0.1.0',
        description:
          'Guest asks for Tiny LLM 0.1.0 for Assistants: A small chat bot',
        link: `/models/approvals?request=${id}`,
        // each notification has a scope of its own (see NotificationOutbox)
        scope: expect.stringMatching(/^model-marketplace-notification-/),
      },
    });

    send.mockClear();
    const decided = await request(server)
      .post(`/api/model-marketplace/requests/${id}/decision`)
      .set('Authorization', jonas)
      .send({ decision: 'approve', comment: 'Go ahead' });
    expect(decided.status).toBe(200);
    await eventually(() => expect(send).toHaveBeenCalledTimes(1));
    expect(payloads()[0]).toMatchObject({
      recipients: { entityRef: ['user:default/guest'] },
      payload: {
        title: 'Your request for Tiny LLM 0.1.0 was approved',
        description: 'Jonas Weber approved the request of Assistants: Go ahead',
        link: `/models/requests?request=${id}`,
      },
    });

    send.mockClear();
    const deployed = await request(server)
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send({
        model: 'model:research/tiny-llm',
        version: '0.1.0',
        team: 'group:default/team-assistants',
        cluster: 'sandbox',
        namespace: 'team-assistants',
        objects: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: 'team-assistants',
            name: 'tiny-llm',
          },
        ],
        status: 'deployed',
        deployedBy: 'user:default/guest',
        requestId: id,
      });
    expect(deployed.status).toBe(201);
    await eventually(() => expect(send).toHaveBeenCalledTimes(1));
    expect(payloads()[0]).toMatchObject({
      recipients: { entityRef: ['group:default/team-assistants'] },
      payload: {
        title: 'Tiny LLM 0.1.0 is deployed',
        description: 'Deployed to sandbox/team-assistants by Guest',
        link: '/catalog/research/model/tiny-llm',
      },
    });
    for (const { payload } of payloads()) {
      expect(JSON.stringify(payload)).not.toMatch(/(user|group|model):/);
    }
  });
});
