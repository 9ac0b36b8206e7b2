import * as k8s from '@kubernetes/client-node';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';
import {
  deployment,
  errorOf,
  fetchRaw,
  inferenceService,
  kubeConfigFor,
  sleep,
} from './__testUtils__/clients';
import { serverSideApply } from './ServerSideApply';

// Waits on the simulated rollout; generous on a loaded CI machine.
jest.setTimeout(60_000);

describe('server-side apply through KubernetesObjectApi', () => {
  let sandbox: KubernetesSandbox;
  let objects: k8s.KubernetesObjectApi;

  const apply = (
    body: any,
    manager = 'model-marketplace',
    force = false,
    dryRun?: string,
  ) =>
    objects.patch(
      body,
      undefined,
      dryRun,
      manager,
      force,
      k8s.PatchStrategy.ServerSideApply,
    );

  beforeAll(async () => {
    sandbox = await startKubernetesSandbox({
      tokens: { 'team-token': ['team-a'] },
      namespaces: ['team-a'],
      rolloutDelayMs: 50,
    });
    objects = kubeConfigFor(sandbox, 'team-token').makeApiClient(
      k8s.KubernetesObjectApi,
    );
  });

  afterAll(async () => {
    await sandbox.close();
  });

  it('creates, records managed fields, and re-applies without a change', async () => {
    const created: any = await apply(deployment('ssa-a', 'team-a'));
    expect(created.metadata.generation).toBe(1);
    expect(created.metadata.managedFields).toEqual([
      expect.objectContaining({
        manager: 'model-marketplace',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        fieldsType: 'FieldsV1',
        fieldsV1: expect.objectContaining({
          'f:spec': expect.objectContaining({ 'f:replicas': {} }),
          'f:metadata': { 'f:labels': { 'f:app': {} } },
        }),
      }),
    ]);
    // The simulated controller writes status (and so a new resourceVersion)
    // until the rollout is done; compare against the settled object.
    const stored = () =>
      sandbox.getObject('apps/v1', 'Deployment', 'team-a', 'ssa-a');
    for (let i = 0; i < 2400; i++) {
      const available = stored().status?.conditions?.find(
        (c: any) => c.type === 'Available',
      );
      if (available?.status === 'True') break;
      await sleep(25);
    }
    const settled = stored().metadata.resourceVersion;
    const writes = sandbox.writeCount();
    const again: any = await apply(deployment('ssa-a', 'team-a'));
    expect(again.metadata.resourceVersion).toBe(settled);
    expect(again.metadata.generation).toBe(1);
    expect(sandbox.writeCount()).toBe(writes + 1);
    expect(stored().metadata.resourceVersion).toBe(settled);
  });

  it('bumps generation only when the spec changes', async () => {
    const first: any = await apply(deployment('ssa-gen', 'team-a', 1));
    const relabelled: any = await apply(
      deployment('ssa-gen', 'team-a', 1, { app: 'ssa-gen', extra: 'yes' }),
    );
    expect(relabelled.metadata.generation).toBe(1);
    expect(relabelled.metadata.resourceVersion).not.toBe(
      first.metadata.resourceVersion,
    );
    const scaled: any = await apply(deployment('ssa-gen', 'team-a', 4));
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.spec.replicas).toBe(4);
    // the label the manager no longer sends is removed
    expect(scaled.metadata.labels).toEqual({ app: 'ssa-gen' });
  });

  it('reports a conflict with another manager, and takes ownership with force', async () => {
    await apply(deployment('ssa-c', 'team-a', 2));
    const e = await errorOf(() =>
      apply(deployment('ssa-c', 'team-a', 5), 'kubectl'),
    );
    expect(e.code).toBe(409);
    const status = JSON.parse(e.body);
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Conflict',
      code: 409,
      message:
        'Apply failed with 1 conflict: conflict with "model-marketplace" using apps/v1: .spec.replicas',
      details: {
        name: 'ssa-c',
        group: 'apps',
        kind: 'deployments',
        causes: [
          {
            type: 'FieldManagerConflict',
            message: 'conflict with "model-marketplace": .spec.replicas',
            field: '.spec.replicas',
          },
        ],
      },
    });
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'team-a', 'ssa-c').spec
        .replicas,
    ).toBe(2);

    // same values are shared, not conflicting
    await apply(deployment('ssa-c', 'team-a', 2), 'kubectl');

    const forced: any = await apply(
      deployment('ssa-c', 'team-a', 5),
      'kubectl',
      true,
    );
    expect(forced.spec.replicas).toBe(5);
    const owners = Object.fromEntries(
      forced.metadata.managedFields.map((m: any) => [m.manager, m.fieldsV1]),
    );
    expect(owners.kubectl['f:spec']['f:replicas']).toEqual({});
    expect(owners['model-marketplace']['f:spec']['f:replicas']).toBeUndefined();
    // now the first manager is the one in conflict
    const back = await errorOf(() => apply(deployment('ssa-c', 'team-a', 2)));
    expect(back.code).toBe(409);
    expect(JSON.parse(back.body).message).toContain('conflict with "kubectl"');
  });

  it('answers 422 for an apply patch without fieldManager', async () => {
    const res = await fetchRaw(
      sandbox,
      '/apis/apps/v1/namespaces/team-a/deployments/ssa-nofm',
      'team-token',
      {
        method: 'PATCH',
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(deployment('ssa-nofm', 'team-a')),
      },
    );
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
    });
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'team-a', 'ssa-nofm'),
    ).toBeUndefined();
  });

  it('accepts a YAML apply body', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: ssa-yaml',
      '  labels: {app: ssa-yaml}',
      'spec:',
      '  ports: [{port: 80}]',
    ].join('\n');
    const res = await fetchRaw(
      sandbox,
      '/api/v1/namespaces/team-a/services/ssa-yaml?fieldManager=yaml-user',
      'team-token',
      {
        method: 'PATCH',
        contentType: 'application/apply-patch+yaml',
        body: yaml,
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.spec.ports).toEqual([{ port: 80 }]);
  });

  it('writes nothing on dryRun=All, for apply, create and delete', async () => {
    await sleep(150); // let the simulated rollouts of earlier tests settle
    const before = sandbox.listObjects();
    const writes = sandbox.writeCount();
    const dry: any = await apply(
      inferenceService('ssa-dry', 'team-a'),
      'model-marketplace',
      false,
      'All',
    );
    expect(dry.metadata.name).toBe('ssa-dry');
    expect(dry.metadata.uid).toEqual(expect.any(String));
    const apps = kubeConfigFor(sandbox, 'team-token').makeApiClient(
      k8s.AppsV1Api,
    );
    await apps.createNamespacedDeployment({
      namespace: 'team-a',
      body: deployment('ssa-dry2', 'team-a'),
      dryRun: 'All',
    });
    await apps.deleteNamespacedDeployment({
      namespace: 'team-a',
      name: 'ssa-a',
      dryRun: 'All',
    });
    // a conflicting dry run still reports the conflict
    const conflict = await errorOf(() =>
      apply(deployment('ssa-c', 'team-a', 7), 'someone', false, 'All'),
    );
    expect(conflict.code).toBe(409);
    expect(sandbox.writeCount()).toBe(writes);
    expect(sandbox.listObjects()).toEqual(before);
  });

  it('applies the status subresource separately from the object', async () => {
    await apply(inferenceService('ssa-status', 'team-a'));
    const res = await fetchRaw(
      sandbox,
      '/apis/serving.kserve.io/v1beta1/namespaces/team-a/inferenceservices/ssa-status/status?fieldManager=controller&force=true',
      'team-token',
      {
        method: 'PATCH',
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify({
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: 'ssa-status' },
          status: { url: 'http://custom' },
        }),
      },
    );
    expect(res.status).toBe(200);
    expect(res.body.status.url).toBe('http://custom');
    expect(res.body.metadata.generation).toBe(1);
  });
});

describe('serverSideApply', () => {
  it('treats lists as atomic and removes fields only the manager owned', () => {
    const first = serverSideApply({
      existing: undefined,
      applied: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's', annotations: { a: '1', b: '2' } },
        spec: { ports: [{ port: 80 }] },
      },
      manager: 'm1',
      force: false,
      apiVersion: 'v1',
    });
    const second = serverSideApply({
      existing: first,
      applied: {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 's', annotations: { b: '2' } },
        spec: { ports: [{ port: 81 }] },
      },
      manager: 'm2',
      force: true,
      apiVersion: 'v1',
    });
    expect(second.spec.ports).toEqual([{ port: 81 }]);
    const third = serverSideApply({
      existing: second,
      applied: { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } },
      manager: 'm1',
      force: false,
      apiVersion: 'v1',
    });
    // 'a' was owned by m1 only; 'b' is co-owned by m2; ports moved to m2
    expect(third.metadata.annotations).toEqual({ b: '2' });
    expect(third.spec.ports).toEqual([{ port: 81 }]);
    expect(third.metadata.managedFields.map((m: any) => m.manager)).toEqual([
      'm2',
    ]);
  });
});
