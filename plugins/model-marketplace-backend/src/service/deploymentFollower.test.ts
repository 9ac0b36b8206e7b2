import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { DeploymentRecord } from '@aic/plugin-model-marketplace-common';
import { DatabaseRequestStore } from '../database/DatabaseRequestStore';
import { deploymentFollower } from './deploymentFollower';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

const deployment = (
  status: DeploymentRecord['status'],
  requestId?: string,
): DeploymentRecord => ({
  id: `dep-${status}`,
  model: 'model:default/llama',
  version: '1.0.0',
  team: 'group:default/team-assistants',
  cluster: 'dev',
  namespace: 'team-assistants',
  workload: 'llama',
  objects: [],
  status,
  requestId,
  deployedBy: 'user:default/marcus.bell',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});

describe('deploymentFollower', () => {
  async function setUp() {
    const knex = await databases.init('SQLITE_3');
    const requests = await DatabaseRequestStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    const request = await requests.createRequest({
      model: 'model:default/llama',
      team: 'group:default/team-assistants',
      purpose: 'follower test',
      requester: 'user:default/marcus.bell',
      accessPolicy: 'open',
      approvers: [],
      autoApprove: true,
    });
    const follow = deploymentFollower(requests);
    const inTrx = (record: DeploymentRecord, previous?: DeploymentRecord) =>
      knex.transaction(trx => follow(trx, record, 'user:default/x', previous));
    return { requests, request, inTrx };
  }

  it('moves the request to deployed, then to retired on undeploy', async () => {
    const { requests, request, inTrx } = await setUp();
    const deployed = await inTrx(
      deployment('deployed', request.id),
      deployment('deploying', request.id),
    );
    expect(deployed?.status).toBe('deployed');

    // a second deployment of the same request: already deployed, no error
    expect(await inTrx(deployment('deployed', request.id))).toBeUndefined();

    const retired = await inTrx(
      deployment('undeployed', request.id),
      deployment('deployed', request.id),
    );
    expect(retired?.status).toBe('retired');
    const stored = await requests.getRequest(request.id);
    expect(stored?.status).toBe('retired');
    const actions = stored?.timeline.map(e => e.action) ?? [];
    // one move each: the second deployment added nothing
    expect(actions.slice(-2)).toEqual(['deployed', 'retired']);
    expect(actions.filter(a => a === 'deployed')).toHaveLength(1);
  });

  it('leaves the request alone for other changes and deployments without one', async () => {
    const { requests, request, inTrx } = await setUp();
    for (const [record, previous] of [
      [deployment('failed', request.id), deployment('deploying', request.id)],
      [deployment('deployed', request.id), deployment('deployed', request.id)],
      [deployment('undeployed', request.id), undefined],
      [deployment('deployed'), undefined],
    ] as const) {
      expect(await inTrx(record, previous)).toBeUndefined();
    }
    expect((await requests.getRequest(request.id))?.status).toBe('approved');
  });

  it('fails the write for a request that does not exist', async () => {
    const { inTrx } = await setUp();
    await expect(
      inTrx(deployment('deployed', 'no-such-request')),
    ).rejects.toThrow('No request with id no-such-request');
  });
});
