import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { KubernetesSandbox } from './types';

function findKubectl(): string | undefined {
  if (fs.existsSync('/usr/bin/kubectl')) return '/usr/bin/kubectl';
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'kubectl');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

const kubectlPath = findKubectl();
const describeWithKubectl = kubectlPath ? describe : describe.skip;
if (!kubectlPath) {
  // eslint-disable-next-line no-console
  console.warn(
    'kubectl.test.ts skipped: neither /usr/bin/kubectl nor kubectl on PATH exists',
  );
}

const MANIFEST = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: team-a
  labels: {app: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: server, image: example/web:1}]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: team-a
  labels: {app: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;

// Each test runs kubectl several times as a child process; on a loaded CI
// machine one kubectl start alone can take seconds.
jest.setTimeout(120_000);

describeWithKubectl('the real kubectl against the sandbox', () => {
  let sandbox: KubernetesSandbox;
  let dir: string;
  let manifest: string;

  const kubectl = (
    args: string[],
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise(resolve => {
      execFile(
        kubectlPath!,
        args,
        {
          timeout: 60_000,
          env: {
            PATH: process.env.PATH,
            HOME: dir,
            KUBECONFIG: path.join(dir, 'kubeconfig'),
            KUBECACHEDIR: path.join(dir, 'cache'),
          },
        },
        (error, stdout, stderr) =>
          resolve({
            code: error ? Number((error as any).code ?? 1) || 1 : 0,
            stdout: String(stdout),
            stderr: String(stderr),
          }),
      );
    });

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sandbox-kubectl-'));
    sandbox = await startKubernetesSandbox({
      tokens: { 'admin-secret': '*', 'team-a-secret': ['team-a'] },
      namespaces: ['team-a'],
      rolloutDelayMs: 300,
    });
    sandbox.writeKubeconfig(path.join(dir, 'kubeconfig'));
    manifest = path.join(dir, 'manifest.yaml');
    fs.writeFileSync(manifest, MANIFEST);
  });

  afterAll(async () => {
    await sandbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('applies server-side, dry-runs, lists by label, waits for the rollout and deletes', async () => {
    const dry = await kubectl([
      'apply',
      '--server-side',
      '--dry-run=server',
      '-f',
      manifest,
    ]);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain(
      'deployment.apps/web serverside-applied (server dry run)',
    );
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'team-a', 'web'),
    ).toBeUndefined();

    const applied = await kubectl(['apply', '--server-side', '-f', manifest]);
    expect(applied).toMatchObject({ code: 0 });
    expect(applied.stdout).toContain('deployment.apps/web serverside-applied');
    expect(applied.stdout).toContain('service/web serverside-applied');
    const stored = sandbox.getObject('apps/v1', 'Deployment', 'team-a', 'web');
    expect(stored.metadata.managedFields[0]).toMatchObject({
      manager: 'kubectl',
      operation: 'Apply',
    });

    // The simulated controller writes status (a new resourceVersion) until
    // the rollout is done; re-apply against the settled object.
    const current = () =>
      sandbox.getObject('apps/v1', 'Deployment', 'team-a', 'web');
    for (let i = 0; i < 2400; i++) {
      const available = current().status?.conditions?.find(
        (c: any) => c.type === 'Available',
      );
      if (available?.status === 'True') break;
      await new Promise(resolve => setTimeout(resolve, 25));
    }
    const settled = current().metadata.resourceVersion;
    const again = await kubectl(['apply', '--server-side', '-f', manifest]);
    expect(again.code).toBe(0);
    expect(current().metadata.resourceVersion).toBe(settled);

    const list = await kubectl([
      'get',
      'deploy',
      '-n',
      'team-a',
      '-l',
      'app=web',
      '-o',
      'json',
    ]);
    expect(list.code).toBe(0);
    const items = JSON.parse(list.stdout).items;
    expect(items.map((i: any) => i.metadata.name)).toEqual(['web']);
    const none = await kubectl([
      'get',
      'deploy',
      '-n',
      'team-a',
      '-l',
      'app=none',
      '-o',
      'json',
    ]);
    expect(JSON.parse(none.stdout).items).toEqual([]);

    const rollout = await kubectl([
      'rollout',
      'status',
      'deployment/web',
      '-n',
      'team-a',
      '--timeout=20s',
    ]);
    expect(rollout).toMatchObject({ code: 0 });
    expect(rollout.stdout).toContain(
      'deployment "web" successfully rolled out',
    );

    const yaml = await kubectl([
      'get',
      'svc',
      'web',
      '-n',
      'team-a',
      '-o',
      'yaml',
    ]);
    expect(yaml.stdout).toContain('kind: Service');

    const deleted = await kubectl(['delete', '-f', manifest]);
    expect(deleted).toMatchObject({ code: 0 });
    expect(deleted.stdout).toContain('deployment.apps "web" deleted');
    expect(
      sandbox.getObject('apps/v1', 'Deployment', 'team-a', 'web'),
    ).toBeUndefined();
  });

  it('reports a field conflict, a failed rollout, and 403 for another namespace', async () => {
    await kubectl(['apply', '--server-side', '-f', manifest]);
    const changed = MANIFEST.replace('replicas: 2', 'replicas: 3');
    const other = path.join(dir, 'other.yaml');
    fs.writeFileSync(other, changed);
    const conflict = await kubectl([
      'apply',
      '--server-side',
      '--field-manager=someone-else',
      '-f',
      other,
    ]);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toContain(
      'conflict with "kubectl" using apps/v1: .spec.replicas',
    );

    sandbox.setWorkloadBehavior(
      'team-a',
      'stuck',
      'progress-deadline-exceeded',
    );
    const stuck = path.join(dir, 'stuck.yaml');
    fs.writeFileSync(stuck, MANIFEST.split('---')[0].replace(/web/g, 'stuck'));
    expect((await kubectl(['apply', '--server-side', '-f', stuck])).code).toBe(
      0,
    );
    const rollout = await kubectl([
      'rollout',
      'status',
      'deployment/stuck',
      '-n',
      'team-a',
      '--timeout=20s',
    ]);
    expect(rollout.code).not.toBe(0);
    expect(rollout.stderr).toContain('exceeded its progress deadline');

    const forbidden = await kubectl([
      '--context',
      'token#2',
      'get',
      'deploy',
      '-n',
      'default',
    ]);
    expect(forbidden.code).not.toBe(0);
    expect(forbidden.stderr).toContain('Forbidden');
    const kubeconfig = fs.readFileSync(path.join(dir, 'kubeconfig'), 'utf8');
    expect(kubeconfig).toContain('name: token#2');
    expect(JSON.stringify(sandbox.requestLog)).not.toContain('secret');
  });
});
