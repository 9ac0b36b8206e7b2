import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startKubernetesTestEnv } from './startKubernetesTestEnv';
import { KubernetesTestEnv } from './types';
import { testEnvAvailable } from './testing/sharedTestEnv';

const exec = promisify(execFile);

// Starting a control plane on a busy 2-core machine takes a while.
jest.setTimeout(240_000);

const describeReal = testEnvAvailable() ? describe : describe.skip;

describeReal('kube-testenv killed with SIGKILL', () => {
  it('leaves no process behind: the watchdog ends them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'testenv-kill-'));
    const info = path.join(dir, 'info.json');
    const cli = spawn(
      process.execPath,
      [
        path.resolve(__dirname, '../bin/kube-testenv'),
        '--kubeconfig',
        path.join(dir, 'kc'),
        '--info-file',
        info,
      ],
      { stdio: 'ignore' },
    );
    try {
      while (!fs.existsSync(info)) {
        expect(cli.exitCode).toBeNull();
        await new Promise(r => setTimeout(r, 500));
      }
      const pids = Object.values(
        JSON.parse(fs.readFileSync(info, 'utf8')).pids as Record<
          string,
          number
        >,
      );
      expect(pids).toHaveLength(5);
      cli.kill('SIGKILL');
      const alive = () =>
        pids.filter(pid => {
          try {
            process.kill(pid, 0);
            return true;
          } catch {
            return false;
          }
        });
      while (alive().length > 0) {
        await new Promise(r => setTimeout(r, 500));
      }
      expect(alive()).toEqual([]);
    } finally {
      cli.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeReal('startKubernetesTestEnv (real control plane)', () => {
  let env: KubernetesTestEnv;
  let kubeconfig: string;

  beforeAll(async () => {
    env = await startKubernetesTestEnv({
      teams: { alpha: ['alpha-ns'], beta: ['beta-ns'] },
    });
    kubeconfig = path.join(env.workDir, 'test.kubeconfig');
    env.writeKubeconfig(kubeconfig);
  });

  afterAll(async () => {
    await env?.stop();
  });

  async function kubectl(context: string, ...args: string[]) {
    const { stdout } = await exec(
      'kubectl',
      ['--kubeconfig', kubeconfig, '--context', context, ...args],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return stdout;
  }

  async function kubectlFails(context: string, ...args: string[]) {
    try {
      await kubectl(context, ...args);
    } catch (e) {
      return String((e as { stderr?: string }).stderr ?? e);
    }
    throw new Error(`kubectl ${args.join(' ')} succeeded`);
  }

  /** Polls until `check` returns a value; the outer jest timeout bounds it. */
  async function eventually<T>(check: () => Promise<T | undefined>) {
    for (;;) {
      const value = await check().catch(() => undefined);
      if (value !== undefined) return value;
      await new Promise(r => setTimeout(r, 500));
    }
  }

  it('runs real Kubernetes with ready fake nodes, some with GPUs', async () => {
    const version = JSON.parse(await kubectl('admin', 'version', '-o', 'json'));
    expect(version.serverVersion.gitVersion).toMatch(/^v1\.3[4-9]\./);
    const nodes = JSON.parse(
      await kubectl('admin', 'get', 'nodes', '-o', 'json'),
    );
    expect(nodes.items.map((n: any) => n.metadata.name).sort()).toEqual(
      [...env.nodes].sort(),
    );
    for (const node of nodes.items) {
      expect(
        node.status.conditions.find((c: any) => c.type === 'Ready')?.status,
      ).toBe('True');
    }
    const gpu = nodes.items.filter(
      (n: any) => n.status.allocatable['nvidia.com/gpu'] === '8',
    );
    expect(gpu.length).toBeGreaterThanOrEqual(1);
    expect(gpu.length).toBeLessThan(nodes.items.length);
  });

  it('rolls a Deployment out to Running, Ready pods scheduled on the fake nodes', async () => {
    const manifest = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'smoke', namespace: 'alpha-ns' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'smoke' } },
        template: {
          metadata: { labels: { app: 'smoke' } },
          spec: {
            containers: [
              {
                name: 'app',
                image: 'example.invalid/smoke:1',
                resources: {
                  limits: { 'nvidia.com/gpu': '1' },
                  requests: { 'nvidia.com/gpu': '1' },
                },
              },
            ],
          },
        },
      },
    };
    const file = path.join(env.workDir, 'smoke.json');
    fs.writeFileSync(file, JSON.stringify(manifest));
    // the team's own token, in its own namespace
    await kubectl('alpha', 'apply', '--server-side', '-f', file);
    // (rollout status watches; the team role may only get)
    await kubectl(
      'admin',
      '-n',
      'alpha-ns',
      'rollout',
      'status',
      'deployment/smoke',
      '--timeout=180s',
    );
    const pods = JSON.parse(
      await kubectl(
        'admin',
        '-n',
        'alpha-ns',
        'get',
        'pods',
        '-l',
        'app=smoke',
        '-o',
        'json',
      ),
    );
    expect(pods.items).toHaveLength(2);
    for (const pod of pods.items) {
      expect(pod.status.phase).toBe('Running');
      // a GPU pod can only land on a GPU node
      expect(pod.spec.nodeName).toMatch(/^kwok-gpu-/);
      expect(pod.metadata.ownerReferences[0].kind).toBe('ReplicaSet');
    }
  });

  it('binds team tokens to their own namespaces only (real RBAC)', async () => {
    // the deployer role may get (not list) in its own namespace
    await kubectl('alpha', '-n', 'alpha-ns', 'get', 'deployment', 'smoke');
    expect(
      await kubectlFails('alpha', '-n', 'alpha-ns', 'get', 'deployments'),
    ).toMatch(/cannot list resource "deployments"/);
    const denied = await kubectlFails(
      'alpha',
      '-n',
      'beta-ns',
      'get',
      'deployments',
    );
    expect(denied).toMatch(/forbidden/i);
    expect(denied).toContain('system:serviceaccount:aic-teams:team-alpha');
    expect(await kubectlFails('alpha', 'get', 'nodes')).toMatch(/forbidden/i);
    // the Backstage account reads across namespaces but writes nowhere else
    await kubectl('backstage', 'get', 'pods', '--all-namespaces');
    expect(
      await kubectlFails(
        'backstage',
        '-n',
        'alpha-ns',
        'delete',
        'deployment',
        'smoke',
      ),
    ).toMatch(/forbidden/i);
    expect(
      await kubectlFails('backstage', '-n', 'kube-system', 'get', 'secrets'),
    ).toMatch(/forbidden/i);
  });

  it('validates InferenceServices against the KServe CRD schema and reports readiness from the real predictor Deployment', async () => {
    const isvc = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'smoke-isvc', namespace: 'beta-ns' },
      spec: {
        predictor: {
          minReplicas: 1,
          model: {
            modelFormat: { name: 'huggingface' },
            storageUri: 'hf://acme/smoke',
            resources: { limits: { cpu: '1', memory: '1Gi' } },
          },
        },
      },
    };
    const bad = structuredClone(isvc) as any;
    bad.spec.predictor.minReplicas = 'two';
    const badFile = path.join(env.workDir, 'bad-isvc.json');
    fs.writeFileSync(badFile, JSON.stringify(bad));
    expect(
      await kubectlFails('beta', 'apply', '--server-side', '-f', badFile),
    ).toMatch(/\.spec\.predictor\.minReplicas: expected numeric/);

    const file = path.join(env.workDir, 'isvc.json');
    fs.writeFileSync(file, JSON.stringify(isvc));
    await kubectl('beta', 'apply', '--server-side', '-f', file);
    const ready = await eventually(async () => {
      const live = JSON.parse(
        await kubectl(
          'admin',
          '-n',
          'beta-ns',
          'get',
          'inferenceservice',
          'smoke-isvc',
          '-o',
          'json',
        ),
      );
      const c = live.status?.conditions?.find((x: any) => x.type === 'Ready');
      return c?.status === 'True' ? live : undefined;
    });
    expect(ready.status.url).toBe(
      'http://smoke-isvc.beta-ns.svc.cluster.local',
    );
    const predictor = JSON.parse(
      await kubectl(
        'admin',
        '-n',
        'beta-ns',
        'get',
        'deployment',
        'smoke-isvc-predictor',
        '-o',
        'json',
      ),
    );
    expect(predictor.status.availableReplicas).toBe(1);

    // deleting the InferenceService removes its Deployment and pods (real GC)
    await kubectl(
      'beta',
      '-n',
      'beta-ns',
      'delete',
      'inferenceservice',
      'smoke-isvc',
      '--wait=true',
    );
    await eventually(async () => {
      const out = await kubectl(
        'admin',
        '-n',
        'beta-ns',
        'get',
        'deployments,pods',
        '-o',
        'name',
      );
      return out.trim() === '' ? true : undefined;
    });
  });

  it('stop() ends every process and removes its folder', async () => {
    const pids = Object.values(env.pids).filter((p): p is number => !!p);
    expect(pids).toHaveLength(5);
    const dir = env.workDir;
    await env.stop();
    for (const pid of pids) {
      expect(() => process.kill(pid, 0)).toThrow();
    }
    expect(fs.existsSync(dir)).toBe(false);
  });
});
