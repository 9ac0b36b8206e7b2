/*
 * The endpoint API provider through the real pieces: the catalog, this
 * module, the marketplace backend plugin (its REST API, database and live
 * status) in one test backend, and a model really deployed and Ready on the
 * Kubernetes the deploy tests use (the real control plane when it is
 * available, else the sandbox; `cluster.real` says which).
 */
import { resolve as resolvePath } from 'node:path';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  RELATION_API_CONSUMED_BY,
  RELATION_API_PROVIDED_BY,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
} from '@backstage/catalog-model';
import { startTestClusterForTests } from '@aic/kubernetes-testenv';
import {
  ClusterRegistry,
  ModelDeployer,
  renderModelManifests,
} from '@aic/plugin-model-marketplace-node';
import type { ModelEntityV1alpha1 } from '@aic/plugin-model-marketplace-common';
// the real marketplace backend in the same test backend: the provider's
// source of truth (test only; the module itself talks to it over HTTP)
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import modelMarketplacePlugin from '@aic/plugin-model-marketplace-backend';
import request from 'supertest';
import { parseAllDocuments } from 'yaml';
import { readFileSync } from 'node:fs';
import { catalogModuleModelEntity } from '../module';
import { catalogRules } from '../__testUtils__/catalogTestBackend';

jest.setTimeout(300_000);

const examples = resolvePath(__dirname, '../../../../examples');
const logger = mockServices.logger.mock();

function exampleModel(name: string): ModelEntityV1alpha1 {
  const docs = parseAllDocuments(
    readFileSync(resolvePath(examples, 'models.yaml'), 'utf8'),
  ).map(d => d.toJS());
  const model = docs.find(d => d?.metadata?.name === name);
  if (!model) throw new Error(`no example model ${name}`);
  return { ...model, metadata: { ...model.metadata, namespace: 'default' } };
}

async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  describeState?: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}${
          describeState ? `; state: ${await describeState()}` : ''
        }`,
      );
    }
    await new Promise(r => setTimeout(r, 500));
  }
}

describe('ModelEndpointApiProvider', () => {
  it('registers an API entity for a Ready managed deployment and removes it when undeployed', async () => {
    const cluster = await startTestClusterForTests({
      namespaces: ['team-assistants'],
      token: 'endpoint-api-test-token',
      rolloutDelayMs: 200,
    });
    const namespace = cluster.ns('team-assistants');
    // eslint-disable-next-line no-console
    console.log(
      `endpoint API test runs on ${
        cluster.real ? 'the real control plane' : 'the Kubernetes sandbox'
      }`,
    );
    const clusterConfig = {
      name: 'test',
      url: cluster.url,
      authProvider: 'serviceAccount',
      serviceAccountToken: cluster.token,
      caData: cluster.caData,
    };
    try {
      // deploy the example model for real (small resources: fake nodes)
      const model = exampleModel('llama-3-1-8b-instruct');
      model.spec.serving = {
        ...model.spec.serving!,
        resources: { cpu: '1', memory: '1Gi', gpu: 0 },
      };
      const rendered = renderModelManifests({
        model,
        team: 'team-assistants',
        namespace,
      });
      const deployer = new ModelDeployer({
        clusters: new ClusterRegistry([
          { ...clusterConfig, skipTLSVerify: false },
        ]),
        logger,
        pollIntervalMs: 250,
      });
      const deployed = await deployer.deploy({
        cluster: 'test',
        objects: rendered.objects,
        workload: rendered.workload,
        endpoint: rendered.endpoint,
        timeoutMs: 180_000,
      });
      expect(deployed.readiness?.state).toBe('ready');

      const { server } = await startTestBackend({
        features: [
          catalogPlugin,
          catalogModuleModelEntity,
          modelMarketplacePlugin,
          // the real scheduler, so the provider's schedule really repeats
          schedulerServiceFactory,
          createServiceFactory({
            service: notificationService,
            deps: {},
            factory: () => ({ send: async () => {} }),
          }),
          mockServices.rootConfig.factory({
            data: {
              catalog: {
                processingInterval: { seconds: 1 },
                rules: catalogRules('API'),
                locations: ['org.yaml', 'systems.yaml', 'models.yaml'].map(
                  f => ({ type: 'file', target: resolvePath(examples, f) }),
                ),
                providers: {
                  modelEndpointApis: {
                    schedule: {
                      frequency: { seconds: 1 },
                      timeout: { seconds: 30 },
                    },
                  },
                },
              },
              kubernetes: {
                clusterLocatorMethods: [
                  { type: 'config', clusters: [clusterConfig] },
                ],
              },
              modelMarketplace: {
                deployments: { statusCacheTtl: { seconds: 1 } },
                discovery: { enabled: false },
              },
            },
          }),
        ],
      });
      const api = () => request(server);
      const service = mockCredentials.service.header();

      const created = await api()
        .post('/api/model-marketplace/deployments')
        .set('Authorization', service)
        .send({
          model: 'model:default/llama-3-1-8b-instruct',
          version: '1.0.0',
          team: 'group:default/team-assistants',
          cluster: 'test',
          namespace,
          workload: rendered.name,
          objects: rendered.objects.map(o => ({
            apiVersion: o.apiVersion,
            kind: o.kind,
            namespace: o.metadata.namespace,
            name: o.metadata.name,
          })),
          status: 'deployed',
          endpoint: deployed.endpoint,
          deployedBy: 'user:default/guest',
        });
      expect(created.status).toBe(201);

      const apis = async () =>
        (
          await api()
            .get('/api/catalog/entities/by-query')
            .query({ filter: 'kind=api,metadata.tags=model-endpoint' })
        ).body.items as any[];
      const inventory = async () =>
        JSON.stringify(
          (
            await api()
              .get('/api/model-marketplace/deployments')
              .set('Authorization', service)
          ).body,
        );
      const [entity] = await eventually(
        'the endpoint API entity',
        async () => {
          const items = await apis();
          const ready = items.filter(e =>
            (e.relations ?? []).some(
              (r: any) => r.type === RELATION_API_PROVIDED_BY,
            ),
          );
          return ready.length ? ready : undefined;
        },
        inventory,
      );
      expect(entity.spec).toMatchObject({
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:default/team-assistants',
        system: 'genai-platform',
      });
      const definition = JSON.parse(entity.spec.definition);
      expect(definition.servers).toEqual([{ url: deployed.endpoint }]);
      expect(Object.keys(definition.paths)).toContain('/v1/chat/completions');
      expect(entity.metadata.annotations['aic.dev/deployment-id']).toBe(
        created.body.id,
      );
      const relations = (entity.relations as any[]).map(
        r => `${r.type} ${r.targetRef}`,
      );
      expect(relations).toEqual(
        expect.arrayContaining([
          `${RELATION_API_PROVIDED_BY} model:default/llama-3-1-8b-instruct`,
          `${RELATION_API_CONSUMED_BY} group:default/team-assistants`,
          `${RELATION_OWNED_BY} group:default/team-assistants`,
          `${RELATION_PART_OF} system:default/genai-platform`,
        ]),
      );
      // the model sees it the other way round
      const modelEntity = await eventually(
        'providesApi on the model',
        async () => {
          const res = await api().get(
            '/api/catalog/entities/by-name/model/default/llama-3-1-8b-instruct',
          );
          return (res.body.relations ?? []).some(
            (r: any) =>
              r.type === 'providesApi' &&
              r.targetRef === `api:default/${entity.metadata.name}`,
          )
            ? res.body
            : undefined;
        },
      );
      expect(modelEntity.metadata.name).toBe('llama-3-1-8b-instruct');

      // undeploy: the objects go, the inventory row goes, the entity goes
      await deployer.undeploy({
        cluster: 'test',
        objects: created.body.objects,
      });
      const undeployed = await api()
        .patch(`/api/model-marketplace/deployments/${created.body.id}`)
        .set('Authorization', service)
        .send({ status: 'undeployed', actor: 'user:default/guest' });
      expect(undeployed.status).toBe(200);
      await eventually('the endpoint API entity to be removed', async () =>
        (await apis()).length === 0 ? true : undefined,
      );
    } finally {
      await cluster.close();
    }
  });
});
