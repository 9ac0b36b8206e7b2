import request from 'supertest';
import { startMarketplace, users } from './__testUtils__/startMarketplace';

/*
 * GET /models/{namespace}/{name}/usage orders teams by deployments, then
 * approved requests, then name; a team that deploys without a request of
 * its own (an operator's deploy) is counted with 0 approved requests.
 */

jest.setTimeout(60_000);

const { guest, daniel, service } = users;
const MODEL = 'all-minilm-l6-v2'; // open: requests are approved at once

describe('model usage order', () => {
  let server: Awaited<ReturnType<typeof startMarketplace>>['server'];
  const api = () => request(server);

  beforeAll(async () => {
    ({ server } = await startMarketplace());
  });

  it('orders by deployments, approved requests and name', async () => {
    for (const [as, team] of [
      [daniel, 'team-search'],
      [guest, 'team-assistants'],
    ] as const) {
      const created = await api()
        .post('/api/model-marketplace/requests')
        .set('Authorization', as)
        .send({ model: MODEL, team, purpose: 'Embeddings' });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('approved');
    }
    const deployed = await api()
      .post('/api/model-marketplace/deployments')
      .set('Authorization', service)
      .send({
        model: `model:default/${MODEL}`,
        version: '1.0.0',
        team: 'group:default/team-vision',
        cluster: 'sandbox',
        namespace: 'team-vision',
        objects: [],
        status: 'deployed',
        deployedBy: 'user:default/priya.raman',
      });
    expect(deployed.status).toBe(201);

    const usage = await api()
      .get(`/api/model-marketplace/models/default/${MODEL}/usage`)
      .set('Authorization', guest);
    expect(usage.status).toBe(200);
    expect(usage.body).toEqual({
      model: `model:default/${MODEL}`,
      teams: [
        {
          team: 'group:default/team-vision',
          approvedRequests: 0,
          deployments: 1,
        },
        {
          team: 'group:default/team-assistants',
          approvedRequests: 1,
          deployments: 0,
        },
        {
          team: 'group:default/team-search',
          approvedRequests: 1,
          deployments: 0,
        },
      ],
      totals: { teams: 3, approvedRequests: 2, deployments: 1 },
    });
  });
});
