import type {
  DeploymentRecord,
  ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';
import { apiEntityV1alpha1Validator } from '@backstage/catalog-model';
import { ModelEntityProcessor } from '../ModelEntityProcessor';
import {
  deploymentToApiEntity,
  endpointApiName,
} from './deploymentToApiEntity';

const deployment: DeploymentRecord & { endpoint: string } = {
  id: '6f1c2d1e-3a4b-4c5d-8e9f-0a1b2c3d4e5f',
  model: 'model:default/bge-large-en-v1-5',
  version: '1.5.0',
  team: 'group:default/team-search',
  cluster: 'prod',
  namespace: 'team-search',
  workload: 'bge-large-en-v1-5-1-5-0',
  objects: [],
  status: 'deployed',
  endpoint: 'http://bge-large-en-v1-5-1-5-0.team-search.example.com',
  deployedBy: 'user:default/ana',
  createdAt: '2026-12-01T10:00:00Z',
  updatedAt: '2026-12-01T10:00:00Z',
};

function model(serving: ModelEntityV1alpha1['spec']['serving']) {
  const m: ModelEntityV1alpha1 = {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'bge-large-en-v1-5', namespace: 'default' },
    spec: {
      type: 'embedding',
      lifecycle: 'production',
      owner: 'team-search',
      system: 'search-platform',
      versions: [{ version: '1.5.0', artifact: 'gs://acme/bge/1.5.0/' }],
      serving,
    },
  };
  return m;
}

describe('deploymentToApiEntity', () => {
  it('writes a valid openapi API entity for a KServe (v2) endpoint', async () => {
    const entity = deploymentToApiEntity(
      deployment,
      model({ runtime: 'kserve' }),
    );
    expect(await apiEntityV1alpha1Validator.check(entity)).toBe(true);
    expect(entity.spec).toMatchObject({
      type: 'openapi',
      owner: 'group:default/team-search',
      system: 'search-platform',
      lifecycle: 'production',
    });
    const definition = JSON.parse(entity.spec.definition);
    expect(definition.servers).toEqual([{ url: deployment.endpoint }]);
    expect(Object.keys(definition.paths)).toEqual([
      '/v2/health/ready',
      '/v2/models/bge-large-en-v1-5',
      '/v2/models/bge-large-en-v1-5/ready',
      '/v2/models/bge-large-en-v1-5/infer',
    ]);
    expect(entity.metadata.tags).toEqual(['model-endpoint', 'v2-inference']);
  });

  it('uses the declared protocol over the runtime default, and OpenAI routes for kserve-llm', () => {
    const declared = deploymentToApiEntity(
      deployment,
      model({ runtime: 'kserve', protocol: 'openai-v1' }),
    );
    expect(JSON.parse(declared.spec.definition).paths).toHaveProperty([
      '/v1/chat/completions',
    ]);
    const llm = deploymentToApiEntity(
      deployment,
      model({ runtime: 'kserve-llm' }),
    );
    expect(llm.metadata.tags).toContain('openai-v1');
    const custom = deploymentToApiEntity(
      deployment,
      model({ runtime: 'container' }),
    );
    expect(JSON.parse(custom.spec.definition).paths).toEqual({});
  });

  it('names the entity within 63 characters, distinct per deployment', () => {
    const long = {
      ...deployment,
      workload: 'a-very-long-model-name-that-goes-on-and-on-1-2-3-4-5-6',
    };
    const a = endpointApiName(long);
    const b = endpointApiName({ ...long, id: 'another-id' });
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a).toMatch(/^[a-z0-9][a-z0-9-]*[a-z0-9]$/);
    expect(a).not.toBe(b);
  });

  it('gets provider and consumer relations, which a hand-written API cannot claim', async () => {
    const entity = deploymentToApiEntity(
      deployment,
      model({ runtime: 'kserve' }),
    );
    const relations = async (e: any) => {
      const emitted: any[] = [];
      await new ModelEntityProcessor().postProcessEntity(
        e,
        { type: 'url', target: 'x' },
        r => emitted.push(r),
      );
      return emitted.map(
        r =>
          `${r.relation.source.kind.toLowerCase()}:${r.relation.source.name} ${
            r.relation.type
          } ${r.relation.target.kind.toLowerCase()}:${r.relation.target.name}`,
      );
    };
    expect((await relations(entity)).sort()).toEqual(
      [
        `api:${entity.metadata.name} apiProvidedBy model:bge-large-en-v1-5`,
        `model:bge-large-en-v1-5 providesApi api:${entity.metadata.name}`,
        `api:${entity.metadata.name} apiConsumedBy group:team-search`,
        `group:team-search consumesApi api:${entity.metadata.name}`,
      ].sort(),
    );
    const handWritten = {
      ...entity,
      metadata: {
        ...entity.metadata,
        annotations: {
          ...entity.metadata.annotations,
          'backstage.io/managed-by-location':
            'url:https://git.example.com/catalog-info.yaml',
        },
      },
    };
    expect(await relations(handWritten)).toEqual([]);
  });
});
