/*
 * Reading, rolling back and deleting a deployment's objects on the
 * Kubernetes sandbox (a real HTTPS API server): objects labelled as ours are
 * removed newest first, objects that are gone are skipped, and objects that
 * belong to someone else are never touched.
 */
import {
  KubernetesSandbox,
  startKubernetesSandbox,
} from '@aic/kubernetes-sandbox';
import type { DeploymentObjectRef } from '@aic/plugin-model-marketplace-common';
import { ConflictError } from '@backstage/errors';
import { ClusterRegistry } from './ClusterRegistry';
import { KubernetesApiClient } from './KubernetesApiClient';
import {
  deleteManagedObjects,
  inspectObjects,
  rollbackCreated,
} from './managedObjects';
import { capturingLogger } from './testUtils';

const TOKEN = 'managed-objects-token-0123456789';
const NS = 'team-a';

describe('managed objects on the sandbox', () => {
  let sandbox: KubernetesSandbox;
  let client: KubernetesApiClient;

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { [TOKEN]: [NS] },
      namespaces: [NS],
      rolloutDelayMs: 20,
    });
    client = new KubernetesApiClient(
      new ClusterRegistry([
        {
          name: 'c',
          url: sandbox.url,
          authProvider: 'serviceAccount',
          serviceAccountToken: TOKEN,
          caData: sandbox.caData,
          skipTLSVerify: false,
        },
      ]).makeKubeConfig('c'),
    );
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  const ref = (kind: string, name: string): DeploymentObjectRef => ({
    apiVersion: kind === 'Deployment' ? 'apps/v1' : 'v1',
    kind,
    namespace: NS,
    name,
  });

  async function create(
    kind: 'Service' | 'Deployment',
    name: string,
    managedBy?: string,
  ) {
    const labels: Record<string, string> = { app: name };
    if (managedBy) labels['app.kubernetes.io/managed-by'] = managedBy;
    const metadata = { name, namespace: NS, labels };
    await client.apply(
      kind === 'Service'
        ? {
            apiVersion: 'v1',
            kind,
            metadata,
            spec: { selector: { app: name }, ports: [{ port: 8000 }] },
          }
        : {
            apiVersion: 'apps/v1',
            kind,
            metadata,
            spec: {
              replicas: 1,
              selector: { matchLabels: { app: name } },
              template: {
                metadata: { labels: { app: name } },
                spec: {
                  containers: [{ name: 'server', image: 'example/model:1' }],
                },
              },
            },
          },
    );
    return ref(kind, name);
  }

  it('sorts objects into present, missing and not ours, and reads the workload', async () => {
    const endpoint = await create(
      'Service',
      'insp-endpoint',
      'model-marketplace',
    );
    const server = await create(
      'Deployment',
      'insp-server',
      'model-marketplace',
    );
    const theirs = await create('Deployment', 'insp-helm', 'helm');
    const gone = ref('Service', 'insp-gone');

    const seen = await inspectObjects(
      client,
      [endpoint, theirs, server, gone],
      'insp-server',
    );
    expect(seen.present).toEqual([endpoint, server]);
    expect(seen.unmanaged).toEqual([theirs]);
    expect(seen.missing).toEqual([gone]);
    expect(['ready', 'progressing']).toContain(seen.readiness?.state);

    // without a workload name, the first workload kind is read
    const first = await inspectObjects(client, [endpoint, server]);
    expect(first.readiness).toBeDefined();
    // no workload among the objects: no readiness
    expect(
      (await inspectObjects(client, [endpoint])).readiness,
    ).toBeUndefined();
  });

  it('rolls back what a run created, newest first, leaving what is not ours', async () => {
    const logger = capturingLogger();
    const progress: string[] = [];
    const first = await create('Service', 'rb-first', 'model-marketplace');
    const theirs = await create('Service', 'rb-theirs', 'argocd');
    const last = await create('Deployment', 'rb-last', 'model-marketplace');
    const gone = ref('Service', 'rb-gone');

    const result = await rollbackCreated(client, [first, theirs, gone, last], {
      logger,
      progress: m => progress.push(m),
    });
    expect(result).toEqual({ deleted: [last, first], failed: [] });
    expect(progress).toEqual([
      `rolled back Deployment ${NS}/rb-last`,
      `rolled back Service ${NS}/rb-first`,
    ]);
    expect(logger.lines.join('\n')).toContain(
      `Not rolling back Service ${NS}/rb-theirs: it is not managed by model-marketplace`,
    );
    expect(await client.get(theirs)).toBeDefined();
    expect(await client.get(first)).toBeUndefined();
  });

  it('deletes a deployment only when every object is ours, and nothing on a dry run', async () => {
    const endpoint = await create(
      'Service',
      'del-endpoint',
      'model-marketplace',
    );
    const server = await create(
      'Deployment',
      'del-server',
      'model-marketplace',
    );
    const theirs = await create('Service', 'del-theirs', 'helm');
    const gone = ref('Service', 'del-gone');
    const progress: string[] = [];

    const refused = await deleteManagedObjects(client, [endpoint, theirs], {
      progress: m => progress.push(m),
    }).catch(e => e);
    expect(refused).toBeInstanceOf(ConflictError);
    expect(refused.message).toBe(
      `Service ${NS}/del-theirs exists and is not managed by model-marketplace (app.kubernetes.io/managed-by=helm); refusing to delete it`,
    );
    expect(await client.get(endpoint)).toBeDefined();

    const dry = await deleteManagedObjects(client, [endpoint, server, gone], {
      dryRun: true,
      progress: m => progress.push(m),
    });
    expect(dry).toEqual({ deleted: [], missing: [gone] });
    expect(await client.get(server)).toBeDefined();
    expect(progress).toEqual([]);

    const done = await deleteManagedObjects(client, [endpoint, server, gone], {
      progress: m => progress.push(m),
    });
    expect(done).toEqual({ deleted: [server, endpoint], missing: [gone] });
    expect(progress).toEqual([
      `deleted Deployment ${NS}/del-server`,
      `deleted Service ${NS}/del-endpoint`,
    ]);
    expect(await client.get(server)).toBeUndefined();
  });
});
