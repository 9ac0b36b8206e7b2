import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { notificationService } from '@backstage/plugin-notifications-node';
import request from 'supertest';
import { modelMarketplacePlugin } from './plugin';
import { loadExampleEntities } from './__testUtils__/exampleEntities';

/*
 * `viewer.deploy` of GET /models/:namespace/:name through the real plugin:
 * the answer the deploy guard would give, before any task runs, for each
 * state of a team's request (examples/models.yaml: jina-reranker needs
 * approval by ai-governance; bge-reranker-v2-m3 is open).
 */

jest.setTimeout(60_000);

const JINA = 'jina-reranker-v2-base-multilingual';
const daniel = mockCredentials.user.header('user:default/daniel.okafor'); // team-search
const helen = mockCredentials.user.header('user:default/helen.park'); // ai-governance
const nobody = mockCredentials.user.header('user:default/not-in-any-team');

describe('model-marketplace deploy eligibility', () => {
  let server: any;

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        modelMarketplacePlugin,
        catalogServiceMock.factory({ entities: loadExampleEntities() }),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({ send: async () => {} }),
        }),
      ],
    }));
  });

  const base = '/api/model-marketplace';
  const deployFor = async (auth: string, model = JINA) => {
    const res = await request(server)
      .get(`${base}/models/default/${model}`)
      .set('Authorization', auth);
    expect(res.status).toBe(200);
    return res.body.viewer.deploy;
  };

  it('refuses a user in no team, and lets a team deploy an open model', async () => {
    expect(await deployFor(nobody)).toEqual({
      teams: [],
      reason:
        'You are not a member of any team; a deploy goes into a namespace of your team',
    });
    expect(await deployFor(daniel, 'bge-reranker-v2-m3')).toEqual({
      teams: ['group:default/team-search'],
    });
  });

  it('follows the request: none, pending, approved, revoked with its reason', async () => {
    expect(await deployFor(daniel)).toEqual({
      teams: [],
      reason:
        'None of your teams has an approved request for this model; request it for your team first',
    });

    const created = await request(server)
      .post(`${base}/requests`)
      .set('Authorization', daniel)
      .send({
        model: JINA,
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
    expect(await deployFor(daniel)).toEqual({
      teams: [],
      reason:
        'The request of team-search is waiting for approval; you can deploy once it is approved',
    });

    const approved = await request(server)
      .post(`${base}/requests/${id}/decision`)
      .set('Authorization', helen)
      .send({ decision: 'approve' });
    expect(approved.status).toBe(200);
    expect(await deployFor(daniel)).toEqual({
      teams: ['group:default/team-search'],
    });

    const revoked = await request(server)
      .post(`${base}/requests/${id}/revoke`)
      .set('Authorization', helen)
      .send({ reason: 'Licence audit failed' });
    expect(revoked.status).toBe(200);
    expect(await deployFor(daniel)).toEqual({
      teams: [],
      reason:
        'The access of team-search was revoked by helen.park: Licence audit failed',
    });
  });
});
