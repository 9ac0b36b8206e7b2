import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DeployGuard } from './DeployGuard';

const group = (name: string, extra: Partial<Entity> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name,
    namespace: 'default',
    annotations: {
      'aic.dev/kubernetes-namespaces': `east/${name},west/${name},west/${name}-dev`,
    },
  },
  spec: { type: 'team', children: [] },
  ...extra,
});

const model = (name: string, access: any): Entity => ({
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name, namespace: 'default' },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'ml-platform',
    versions: [{ version: '1', artifact: 'hf://a/b', default: true }],
    access,
    serving: { runtime: 'container', image: 'x' },
  },
});

const entities: Entity[] = [
  group('team-a', {
    relations: [{ type: 'hasMember', targetRef: 'user:default/alice' }],
  }),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'bob', namespace: 'default' },
    spec: { memberOf: ['team-a'] },
  },
  model('open-model', { policy: 'open' }),
  model('gated', { policy: 'restricted', allowedGroups: ['group:team-a'] }),
  model('no-access', undefined),
];

function guard(approved: string[] = []) {
  return new DeployGuard({
    catalog: catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger: mockServices.logger.mock(),
    clusterNames: () => ['east', 'west'],
    approvals: {
      findApprovedRequest: async ({ model: m, version }) =>
        approved.includes(`${m}@${version}`) ? { id: 'r1' } : undefined,
    },
  });
}

describe('DeployGuard', () => {
  it('accepts members by hasMember relation or spec.memberOf', async () => {
    for (const user of ['user:default/alice', 'user:default/bob']) {
      await expect(
        guard().check({
          userRef: user,
          model: 'open-model',
          team: 'team-a',
          namespace: 'team-a-dev',
        }),
      ).resolves.toMatchObject({
        cluster: 'west',
        teamRef: 'group:default/team-a',
      });
    }
  });

  it('needs a cluster when the namespace exists on several', async () => {
    await expect(
      guard().check({
        userRef: 'user:default/alice',
        model: 'open-model',
        team: 'team-a',
        namespace: 'team-a',
      }),
    ).rejects.toThrow(/give the cluster input/);
    await expect(
      guard().check({
        userRef: 'user:default/alice',
        model: 'open-model',
        team: 'team-a',
        namespace: 'team-a',
        cluster: 'east',
      }),
    ).resolves.toMatchObject({ cluster: 'east' });
  });

  it('asks for an approval of the resolved version', async () => {
    const check = (approved: string[]) =>
      guard(approved).check({
        userRef: 'user:default/alice',
        model: 'gated',
        team: 'team-a',
        namespace: 'team-a-dev',
        version: () => '1',
      });
    await expect(check([])).rejects.toThrow(/has access policy 'restricted'/);
    await expect(check(['model:default/gated@1'])).resolves.toMatchObject({
      requestId: 'r1',
    });
  });

  it('treats a model without spec.access as needing approval', async () => {
    const check = (approved: string[]) =>
      guard(approved).check({
        userRef: 'user:default/alice',
        model: 'no-access',
        team: 'team-a',
        namespace: 'team-a-dev',
        version: () => '1',
      });
    await expect(check([])).rejects.toThrow(
      "model:default/no-access has access policy 'approval' and group:default/team-a has no approved request for it",
    );
    await expect(check(['model:default/no-access@1'])).resolves.toMatchObject({
      requestId: 'r1',
    });
  });

  it('refuses unknown refs and non-models', async () => {
    await expect(
      guard().check({
        userRef: 'user:default/alice',
        model: 'nope',
        team: 'team-a',
        namespace: 'team-a-dev',
      }),
    ).rejects.toThrow(/model:default\/nope is not in the catalog/);
    await expect(
      guard().check({
        userRef: 'user:default/alice',
        model: 'group:default/team-a',
        team: 'team-a',
        namespace: 'team-a-dev',
      }),
    ).rejects.toThrow(/is not a Model/);
  });
});
