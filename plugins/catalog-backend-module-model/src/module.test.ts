import { resolve as resolvePath } from 'node:path';
import { readFileSync } from 'node:fs';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  CatalogProcessor,
  catalogProcessingExtensionPoint,
  EntityProvider,
} from '@backstage/plugin-catalog-node';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { catalogModuleModelEntity } from './module';
import {
  catalogErrorCollector,
  catalogRules,
} from './__testUtils__/catalogTestBackend';
import { ModelEntityProcessor } from './ModelEntityProcessor';
import { ModelCardProcessor } from './modelcard/ModelCardProcessor';

const examples = resolvePath(__dirname, '../../../examples');

describe('catalogModuleModelEntity', () => {
  async function registered(config?: object) {
    const processors: CatalogProcessor[] = [];
    const providers: EntityProvider[] = [];
    const extensionPoint = {
      addProcessor: (...p: any[]) => processors.push(...p.flat()),
      addEntityProvider: (...p: any[]) => providers.push(...p.flat()),
    };
    await startTestBackend({
      extensionPoints: [[catalogProcessingExtensionPoint, extensionPoint]],
      features: [
        catalogModuleModelEntity,
        ...(config ? [mockServices.rootConfig.factory({ data: config })] : []),
      ],
    });
    return { processors, providers };
  }

  it('registers the Model processor and the model card reader with the catalog', async () => {
    const { processors, providers } = await registered();
    expect(processors).toHaveLength(2);
    expect(processors[0]).toBeInstanceOf(ModelEntityProcessor);
    expect(processors[1]).toBeInstanceOf(ModelCardProcessor);
    expect(providers).toEqual([]);
  });

  it('adds one Kubeflow provider per configured source, and refuses a bad owner', async () => {
    const { providers } = await registered({
      catalog: {
        providers: {
          kubeflowModelCatalog: {
            validated: { sources: 'sources.yaml', owner: 'ml-platform' },
            labs: {
              sources: 'https://git.example.com/labs/sources.yaml',
              owner: 'group:default/team-search',
              schedule: { frequency: { hours: 1 }, timeout: { minutes: 2 } },
            },
          },
        },
      },
    });
    expect(providers.map(p => p.getProviderName())).toEqual([
      'KubeflowModelCatalogProvider:validated',
      'KubeflowModelCatalogProvider:labs',
    ]);
    await expect(
      registered({
        catalog: {
          providers: {
            kubeflowModelCatalog: {
              bad: { sources: 'sources.yaml', owner: 'group:a:b:c' },
            },
          },
        },
      }),
    ).rejects.toThrow(
      'catalog.providers.kubeflowModelCatalog.bad.owner "group:a:b:c" is not an entity reference',
    );
  });
});

/**
 * The real catalog with this module, loading the example org, datasets and
 * models plus the deliberately broken models.
 */
describe('the catalog with the Model module', () => {
  jest.setTimeout(60_000);

  // Each broken example and the field its processing error must name.
  const expectedErrors: Record<string, string> = {
    'broken-missing-owner': 'spec.owner is required',
    'broken-missing-versions': 'spec.versions is required',
    'broken-empty-versions': 'spec.versions must NOT have fewer than 1 items',
    'broken-type-number': 'spec.type must be string',
    'broken-duplicate-version': 'spec.versions[1].version',
    'broken-two-defaults': 'spec.versions[1].default',
    'broken-artifact-not-uri': 'spec.versions[0].artifact',
    'broken-artifact-scheme':
      'spec.versions[0].artifact has unsupported scheme',
    'broken-negative-gpu': 'spec.serving.resources.gpu must be >= 0',
    'broken-metric-not-number':
      'spec.versions[0].metrics.accuracy must be number',
    'broken-owner-ref': 'spec.owner',
    'broken-restricted-no-groups': 'spec.access.allowedGroups',
    'broken-unknown-policy':
      'spec.access.policy must be equal to one of the allowed values',
  };

  it('serves valid models with relations and reports each broken one by field', async () => {
    const brokenNames = parseAllDocuments(
      readFileSync(resolvePath(examples, 'broken/broken-models.yaml'), 'utf8'),
    ).map(d => (d.toJS() as any).metadata.name as string);
    expect(brokenNames.sort()).toEqual(Object.keys(expectedErrors).sort());

    const { errors, features: collectErrors } = catalogErrorCollector();

    const file = (name: string) => ({
      type: 'file',
      target: resolvePath(examples, name),
    });
    const { server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleModelEntity,
        ...collectErrors,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              processingInterval: { seconds: 1 },
              rules: catalogRules(),
              locations: [
                file('org.yaml'),
                file('systems.yaml'),
                file('datasets.yaml'),
                file('models.yaml'),
                file('broken/broken-models.yaml'),
              ],
            },
          },
        }),
      ],
    });

    const query = async () =>
      request(server)
        .get('/api/catalog/entities/by-query')
        .query({ filter: 'kind=model', limit: 100 });

    // Wait until the catalog has processed every example.
    const expectedModels = parseAllDocuments(
      readFileSync(resolvePath(examples, 'models.yaml'), 'utf8'),
    ).filter(d => (d.toJS() as any)?.kind === 'Model').length;
    const deadline = Date.now() + 45_000;
    let items: any[] = [];
    while (Date.now() < deadline) {
      items = (await query()).body.items ?? [];
      if (
        items.length >= expectedModels &&
        items.every((e: any) => e.relations?.length) &&
        errors.size >= brokenNames.length
      ) {
        break;
      }
      await new Promise(r => setTimeout(r, 250));
    }

    expect(items).toHaveLength(expectedModels);
    for (const item of items) {
      expect(item.relations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ type: 'ownedBy' }),
          expect.objectContaining({ type: 'partOf' }),
        ]),
      );
      expect(
        item.metadata.annotations['backstage.io/kubernetes-label-selector'],
      ).toBe(`aic.dev/model=${item.metadata.name}`);
    }
    const fineTune = items.find((e: any) => e.spec.baseModel !== undefined);
    expect(fineTune?.relations).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'dependsOn' })]),
    );

    // Broken models never reach the catalog, and each error names its field.
    expect(items.map((e: any) => e.metadata.name)).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^broken-/)]),
    );
    for (const [name, field] of Object.entries(expectedErrors)) {
      expect(errors.get(`model:default/${name}`)).toContain(field);
    }

    // The owner sees the model from its side of the relation.
    const group = await request(server).get(
      '/api/catalog/entities/by-name/group/default/team-assistants',
    );
    expect(group.status).toBe(200);
    expect(group.body.relations).toEqual(
      expect.arrayContaining([
        {
          type: 'ownerOf',
          targetRef: 'model:default/support-assistant-8b',
        },
      ]),
    );
  });
});
