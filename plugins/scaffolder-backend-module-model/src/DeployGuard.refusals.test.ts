import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { capturingLogger } from '@aic/plugin-model-marketplace-node/testUtils';
import { DeployGuard } from './DeployGuard';

/*
 * The refusals of DeployGuard that name what is wrong with the input (bad
 * refs, wrong kinds, unknown users), the cluster it picks when only one is
 * configured, and what happens when the catalog or the marketplace fails.
 */

const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name: 'team-a',
      namespace: 'default',
      annotations: { 'aic.dev/kubernetes-namespaces': 'east/team-a' },
    },
    spec: { type: 'team', children: [] },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: 'carol', namespace: 'default' },
    // a non-string entry is ignored, the group ref is still read
    spec: { memberOf: [42, 'group:default/team-a'] },
  },
  {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'gated', namespace: 'default' },
    spec: {
      type: 'llm',
      lifecycle: 'production',
      owner: 'ml-platform',
      versions: [{ version: '1', artifact: 'hf://a/b', default: true }],
      access: { policy: 'approval' },
      serving: { runtime: 'container', image: 'x' },
    },
  },
  {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'open', namespace: 'default' },
    spec: {
      type: 'llm',
      lifecycle: 'production',
      owner: 'ml-platform',
      versions: [{ version: '1', artifact: 'hf://a/b', default: true }],
      access: { policy: 'open' },
      serving: { runtime: 'container', image: 'x' },
    },
  },
];

function guard(
  options: {
    catalog?: ReturnType<typeof catalogServiceMock>;
    clusterNames?: string[];
    findApprovedRequest?: () => Promise<{ id: string } | undefined>;
  } = {},
) {
  const logger = capturingLogger();
  const g = new DeployGuard({
    catalog: options.catalog ?? catalogServiceMock({ entities }),
    auth: mockServices.auth(),
    logger,
    clusterNames: () => options.clusterNames ?? ['east', 'west'],
    approvals: {
      findApprovedRequest:
        options.findApprovedRequest ?? (async () => undefined),
    },
  });
  return { g, logger };
}

const check = {
  userRef: 'user:default/carol',
  model: 'open',
  team: 'team-a',
  namespace: 'team-a',
};

describe('DeployGuard refusals', () => {
  it('names an entity ref it cannot parse', async () => {
    await expect(
      guard().g.check({ ...check, model: 'model:default/' }),
    ).rejects.toThrow("Invalid entity ref 'model:default/'");
  });

  it('refuses a team that is not a Group', async () => {
    await expect(
      guard().g.check({ ...check, team: 'user:default/carol' }),
    ).rejects.toThrow('user:default/carol is not a Group');
  });

  it('refuses a user the catalog does not know', async () => {
    const refusal = guard().g.check({ ...check, userRef: 'nobody' });
    await expect(refusal).rejects.toThrow(
      'user:default/nobody is not a member of group:default/team-a',
    );
    await expect(refusal).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('reads membership from spec.memberOf, skipping entries that are not refs', async () => {
    await expect(guard().g.check(check)).resolves.toMatchObject({
      cluster: 'east',
      teamRef: 'group:default/team-a',
      modelRef: 'model:default/open',
    });
  });

  it('uses the only configured cluster for a namespace the annotation does not place', async () => {
    // team-a owns east/team-a; with only 'west' configured and no cluster
    // given, 'west' is tried and the team does not own the namespace there
    await expect(
      guard({ clusterNames: ['west'] }).g.check({
        ...check,
        namespace: 'elsewhere',
      }),
    ).rejects.toThrow(
      "group:default/team-a does not own namespace 'elsewhere' on cluster 'west'",
    );
  });

  it('turns an unexpected catalog failure into a clean 503 and logs the original', async () => {
    const catalog = catalogServiceMock({ entities });
    catalog.getEntityByRef = async () => {
      throw new TypeError('socket hang up');
    };
    const { g, logger } = guard({ catalog });
    const refusal = g.check(check);
    await expect(refusal).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: 'socket hang up',
      stack: 'ServiceUnavailableError: socket hang up',
    });
    expect(logger.lines.join('\n')).toContain(
      'The deploy checks failed unexpectedly',
    );
  });

  it('refuses when the marketplace cannot say whether a request is approved', async () => {
    const { g, logger } = guard({
      findApprovedRequest: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:7007');
      },
    });
    await expect(g.check({ ...check, model: 'gated' })).rejects.toThrow(
      'Cannot verify that group:default/team-a has an approved request for model:default/gated: the marketplace backend did not answer',
    );
    expect(logger.lines.join('\n')).toContain(
      'Cannot reach the marketplace backend to check approval: connect ECONNREFUSED 127.0.0.1:7007',
    );
  });
});
