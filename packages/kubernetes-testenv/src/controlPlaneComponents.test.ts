import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fakeNode, waitFor } from './controlPlaneComponents';
import { ManagedProcess } from './ManagedProcess';

/*
 * The parts of start-up that need no Kubernetes binaries: how waiting for a
 * component gives up, and the fake nodes kwok runs pods on.
 */

jest.setTimeout(30_000);

describe('waitFor', () => {
  it('answers the first value the check gives', async () => {
    let calls = 0;
    await expect(
      waitFor('three tries', Date.now() + 10_000, [], async () =>
        ++calls === 3 ? 'ready' : undefined,
      ),
    ).resolves.toBe('ready');
    expect(calls).toBe(3);
  });

  it('gives up at the deadline, naming what it waited for and the last error', async () => {
    await expect(
      waitFor('etcd /health', Date.now() + 300, [], async () => undefined),
    ).rejects.toThrow(/^Timed out waiting for etcd \/health$/);
    await expect(
      waitFor('kube-apiserver /readyz', Date.now() + 300, [], async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6443');
      }),
    ).rejects.toThrow(
      'Timed out waiting for kube-apiserver /readyz (last error: connect ECONNREFUSED 127.0.0.1:6443)',
    );
  });

  it('stops waiting when a component has exited', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wait-for-'));
    const etcd = new ManagedProcess(
      'etcd',
      '/bin/sh',
      ['-c', 'echo "bad flag"; exit 3'],
      path.join(dir, 'etcd.log'),
    );
    try {
      await expect(
        waitFor('etcd /health', Date.now() + 20_000, [etcd], async () => {
          throw new Error('not up');
        }),
      ).rejects.toThrow(/etcd exited \(code 3, signal null\)[^]*bad flag/);
    } finally {
      await etcd.stop(1_000);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('fakeNode', () => {
  it('gives GPU nodes their GPUs and a label, and CPU nodes neither', () => {
    const gpu = fakeNode('kwok-gpu', 2);
    expect(gpu.status.allocatable['nvidia.com/gpu']).toBe('2');
    expect(gpu.metadata.labels['nvidia.com/gpu.present']).toBe('true');
    expect(gpu.metadata.annotations['kwok.x-k8s.io/node']).toBe('fake');

    const cpu = fakeNode('kwok-cpu', 0);
    expect(cpu.status.allocatable).not.toHaveProperty('nvidia.com/gpu');
    expect(cpu.metadata.labels).not.toHaveProperty('nvidia.com/gpu.present');
    expect(cpu.status.capacity).toEqual(cpu.status.allocatable);
  });
});
