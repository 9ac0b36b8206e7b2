/*
 * The deploy guard's approval check against the real marketplace backend:
 * an approved request lets a deploy through, the same request revoked by an
 * approver does not (and the refusal comes before any cluster call).
 */
// The test asks the real marketplace backend plugin.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import marketplacePlugin from '@aic/plugin-model-marketplace-backend';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import {
  exampleEntities,
  withMemberOfRelations,
} from './__testUtils__/fixtures';
import { DeployGuard } from './DeployGuard';
import { MarketplaceGateway } from './MarketplaceGateway';

jest.setTimeout(60_000);

const MODEL = 'model:default/jina-reranker-v2-base-multilingual';
const DANIEL = 'user:default/daniel.okafor'; // team-search
const helen = mockCredentials.user.header('user:default/helen.park'); // ai-governance

/** The example org and models with the relations the catalog derives. */
const entities = () => withMemberOfRelations(exampleEntities());

describe('DeployGuard with a revoked request', () => {
  let server: any;
  let guard: DeployGuard;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        marketplacePlugin,
        catalogServiceMock.factory({ entities: entities() }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    }));
    const baseUrl = `http://127.0.0.1:${server.port()}/api/model-marketplace`;
    guard = new DeployGuard({
      catalog: catalogServiceMock({ entities: entities() }),
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      clusterNames: () => ['sandbox'],
      approvals: MarketplaceGateway.create({
        auth: mockServices.auth(),
        discovery: {
          getBaseUrl: async () => baseUrl,
          getExternalBaseUrl: async () => baseUrl,
        },
      }),
    });
  });

  const check = () =>
    guard.check({
      userRef: DANIEL,
      model: MODEL,
      team: 'team-search',
      namespace: 'team-search',
      version: () => '2.0.0',
    });

  it('lets an approved request through and refuses it once revoked', async () => {
    await expect(check()).rejects.toThrow(
      `${MODEL} has access policy 'approval' and group:default/team-search has no approved request for it`,
    );
    const created = await request(server)
      .post('/api/model-marketplace/requests')
      .set('Authorization', mockCredentials.user.header(DANIEL))
      .send({
        model: MODEL,
        team: 'team-search',
        purpose: 'Offline evaluation',
        answers: {
          useCase: 'nDCG on golden queries',
          environment: 'offline evaluation',
          acceptLicence: true,
        },
      });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const approved = await request(server)
      .post(`/api/model-marketplace/requests/${id}/decision`)
      .set('Authorization', helen)
      .send({ decision: 'approve' });
    expect(approved.status).toBe(200);

    await expect(check()).resolves.toMatchObject({
      requestId: id,
      cluster: 'sandbox',
      namespace: 'team-search',
    });

    const revoked = await request(server)
      .post(`/api/model-marketplace/requests/${id}/revoke`)
      .set('Authorization', helen)
      .send({ reason: 'Licence audit failed' });
    expect(revoked.status).toBe(200);

    const refusal = await check().then(
      () => undefined,
      (error: Error) => error,
    );
    expect(refusal).toBeInstanceOf(NotAllowedError);
    // the refusal names the revocation, who revoked and why, not a missing approval
    expect(refusal?.message).toBe(
      `The access of group:default/team-search to ${MODEL} was revoked by user:default/helen.park: Licence audit failed (request ${id}); request it again to deploy`,
    );
  });
});
