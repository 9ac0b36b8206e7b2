import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { main } from './cli';

/*
 * main() of the kube-sandbox command (bin/kube-sandbox calls it with
 * process.argv): what it prints, its exit code, and the server it runs until
 * SIGINT or SIGTERM. Every wait is on output, never on time.
 */

// Generous: the machine running the suite may be busy; no test waits on time.
jest.setTimeout(60_000);

describe('kube-sandbox main()', () => {
  let dir: string;
  let stdout: string;
  let stderr: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kube-sandbox-cli-'));
    stdout = '';
    stderr = '';
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      stdout += String(chunk);
      return true;
    });
    jest.spyOn(process.stderr, 'write').mockImplementation(chunk => {
      stderr += String(chunk);
      return true;
    });
  });

  afterEach(() => {
    jest.restoreAllMocks();
    process.exitCode = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints its usage for --help and leaves the exit code alone', async () => {
    await main(['--help']);
    expect(stdout).toMatch(/^Usage: kube-sandbox \[options\]/);
    expect(stdout).toContain('--rollout-delay-ms <n>');
    expect(stderr).toBe('');
    expect(process.exitCode).toBeUndefined();
  });

  it('names a bad option on stderr, prints the usage and sets exit code 2', async () => {
    await main(['--rollout-delay-ms', '-5']);
    expect(stderr).toMatch(
      /^kube-sandbox: --rollout-delay-ms must be a number >= 0\n\nUsage:/,
    );
    expect(stdout).toBe('');
    expect(process.exitCode).toBe(2);
  });

  it.each(['SIGTERM', 'SIGINT'])(
    'serves the API, writes a working kubeconfig and stops on %s',
    async signal => {
      const kubeconfig = path.join(dir, 'sandbox.kubeconfig');
      const done = main([
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--token',
        'cli-token=team-x',
      ]);
      const listening =
        /kube-sandbox listening on (https:\/\/127\.0\.0\.1:\d+)\n/;
      await new Promise<void>(resolve => {
        const check = () =>
          listening.test(stdout) ? resolve() : setImmediate(check);
        check();
      });
      const url = stdout.match(listening)![1];
      expect(stdout).toContain(`kubeconfig written to ${kubeconfig}\n`);
      expect(fs.statSync(kubeconfig).mode & 0o777).toBe(0o600);

      const config = parseYaml(fs.readFileSync(kubeconfig, 'utf8'));
      const cluster = config.clusters[0].cluster;
      expect(cluster.server).toBe(url);
      const token = config.users[0].user.token;
      expect(token).toBe('cli-token');
      expect(config.contexts[0].context.namespace).toBe('team-x');

      const ca = Buffer.from(cluster['certificate-authority-data'], 'base64');
      const list = await new Promise<{ status: number; body: any }>(
        (resolve, reject) => {
          https
            .get(
              `${url}/api/v1/namespaces/team-x/services`,
              { ca, headers: { Authorization: `Bearer ${token}` } },
              res => {
                let text = '';
                res.on('data', c => {
                  text += c;
                });
                res.on('end', () =>
                  resolve({
                    status: res.statusCode ?? 0,
                    body: JSON.parse(text),
                  }),
                );
              },
            )
            .on('error', reject);
        },
      );
      expect(list).toMatchObject({
        status: 200,
        body: { kind: 'ServiceList', items: [] },
      });

      // What the operating system does on Ctrl-C or `kill`, minus the signal.
      process.emit(signal as NodeJS.Signals, signal as NodeJS.Signals);
      await done;
      expect(stdout).toMatch(/kube-sandbox stopped\n$/);
      await expect(
        new Promise((resolve, reject) =>
          https.get(`${url}/version`, { ca }, resolve).on('error', reject),
        ),
      ).rejects.toThrow(/ECONNREFUSED/);
    },
  );
});
