import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManagedProcess } from './ManagedProcess';

/*
 * The process manager of the control plane, with small shell programs in
 * place of etcd and kube-apiserver: how an unexpected exit is reported,
 * and how stop() ends a program that ignores SIGTERM.
 */

jest.setTimeout(60_000);

describe('ManagedProcess', () => {
  let dir: string;
  const started: ManagedProcess[] = [];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'managed-process-'));
  });

  afterEach(async () => {
    for (const p of started.splice(0)) await p.stop(1_000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function start(name: string, script: string) {
    const p = new ManagedProcess(
      name,
      '/bin/sh',
      ['-c', script],
      path.join(dir, `${name}.log`),
    );
    started.push(p);
    return p;
  }

  async function exited(p: ManagedProcess) {
    while (!p.exit) await new Promise(r => setTimeout(r, 20));
    return p.exit;
  }

  it('reports an unexpected exit with its code and the tail of its log', async () => {
    const p = start(
      'fake-etcd',
      'for i in 1 2 3 4 5; do echo "line $i"; done; echo "fatal: bad flag" >&2; exit 3',
    );
    expect(p.pid).toBeGreaterThan(0);
    expect(await exited(p)).toEqual({ code: 3, signal: null });
    expect(p.logTail(2)).toBe('line 5\nfatal: bad flag');
    expect(() => p.assertRunning()).toThrow(
      new RegExp(
        `^fake-etcd exited \\(code 3, signal null\\); see ${p.logFile.replace(
          /[.]/g,
          '\\.',
        )}:\\nline 1\\n.*fatal: bad flag$`,
        's',
      ),
    );
    // stopping a program that already ended returns at once
    await p.stop();
    expect(p.exit).toEqual({ code: 3, signal: null });
  });

  it('does not complain about a program it stopped', async () => {
    const p = start('fake-apiserver', 'echo started; exec sleep 30');
    expect(() => p.assertRunning()).not.toThrow();
    while (!p.logTail().includes('started')) {
      await new Promise(r => setTimeout(r, 20));
    }
    await p.stop();
    expect(p.exit).toBeDefined();
    expect(() => p.assertRunning()).not.toThrow();
  });

  it('kills a program that ignores SIGTERM once the grace period is over', async () => {
    const p = start(
      'stubborn',
      "trap '' TERM; echo ready; while :; do sleep 0.1; done",
    );
    while (!p.logTail().includes('ready')) {
      await new Promise(r => setTimeout(r, 20));
    }
    const before = Date.now();
    await p.stop(300);
    expect(Date.now() - before).toBeGreaterThanOrEqual(250);
    expect(p.exit?.signal ?? p.exit?.code).toBeDefined();
    // the whole group goes, the shell loop included
    const groupAlive = () => {
      try {
        process.kill(-p.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    const deadline = Date.now() + 10_000;
    while (groupAlive() && Date.now() < deadline) {
      await new Promise(r => setTimeout(r, 50));
    }
    expect(groupAlive()).toBe(false);
  });

  it('kills at once with killNow', async () => {
    const p = start('fake-scheduler', 'exec sleep 30');
    p.killNow();
    expect(await exited(p)).toEqual({ code: null, signal: 'SIGKILL' });
  });

  it('answers an empty log tail when the log is gone', async () => {
    const p = start('quiet', 'exit 0');
    await exited(p);
    fs.rmSync(p.logFile);
    expect(p.logTail()).toBe('');
  });
});
