import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseFlags, parsePort, splitList } from '@aic/kubernetes-sandbox';
import { startKubernetesTestEnv } from './startKubernetesTestEnv';
import { TEST_TEAMS } from './testing/sharedTestEnv';
import { KubernetesTestEnvOptions } from './types';

const USAGE = `Usage: kube-testenv [options]

Starts a real Kubernetes control plane on 127.0.0.1 (etcd, kube-apiserver,
kube-controller-manager, kube-scheduler, kwok fake nodes, KServe CRDs) from
the binaries scripts/build-binaries.sh built, and runs until SIGINT/SIGTERM.

Options:
  --port <n>               kube-apiserver port (default: a free port in 17000-17999)
  --kubeconfig <path>      where to write the kubeconfig with a context per team,
                           backstage and admin (default <tmpdir>/kube-testenv.kubeconfig)
  --team <name>=<ns,ns>    a team ServiceAccount bound in these namespaces only; repeatable
  --namespaces <a,b>       more namespaces to create
  --cpu-nodes <n>          fake nodes without GPUs (default 2)
  --gpu-nodes <n>          fake nodes with 8 nvidia.com/gpu each (default 2)
  --for-tests              add the team service accounts the tests use (TEST_TEAMS)
  --info-file <path>       write url, caData, tokens and kubeconfig paths as JSON (0600)
  --help                   show this text
`;

/** Parsed command line of kube-testenv. */
export interface CliArgs {
  options: KubernetesTestEnvOptions;
  kubeconfig: string;
  infoFile?: string;
}

function count(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 50) {
    throw new Error(`${flag} must be a whole number between 0 and 50`);
  }
  return n;
}

/** Parses the command line; throws on bad input. */
export function parseCliArgs(argv: string[]): CliArgs | 'help' {
  const options: KubernetesTestEnvOptions = {};
  let kubeconfig = path.join(os.tmpdir(), 'kube-testenv.kubeconfig');
  let infoFile: string | undefined;
  const teams: Record<string, string[]> = {};
  const parsed = parseFlags(argv, {
    '--port': (value, flag) => {
      options.apiserverPort = parsePort(flag, value(), 1);
    },
    '--kubeconfig': value => {
      kubeconfig = path.resolve(value());
    },
    '--info-file': value => {
      infoFile = path.resolve(value());
    },
    '--team': value => {
      const v = value();
      const eq = v.indexOf('=');
      const name = v.slice(0, eq);
      const namespaces = splitList(v.slice(eq + 1));
      if (
        eq <= 0 ||
        !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) ||
        !namespaces.length
      ) {
        throw new Error(
          '--team must look like <name>=<ns1,ns2> (name in lower-case letters, digits and -)',
        );
      }
      teams[name] = namespaces;
    },
    '--namespaces': value => {
      options.namespaces = splitList(value());
    },
    '--for-tests': () => {
      Object.assign(teams, TEST_TEAMS, { ...teams });
    },
    '--cpu-nodes': (value, flag) => {
      options.cpuNodes = count(flag, value());
    },
    '--gpu-nodes': (value, flag) => {
      options.gpuNodes = count(flag, value());
    },
  });
  if (parsed === 'help') {
    return 'help';
  }
  if (Object.keys(teams).length) options.teams = teams;
  return { options, kubeconfig, infoFile };
}

/** Runs the CLI until SIGINT or SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  let args: CliArgs | 'help';
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`kube-testenv: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  let stopRequested = false;
  const stopSignal = new Promise<void>(resolve => {
    const stop = () => {
      stopRequested = true;
      resolve();
    };
    // persistent handlers: the control plane stops gracefully below
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const env = await startKubernetesTestEnv({
    ...args.options,
    log: line => process.stdout.write(`[kube-testenv] ${line}\n`),
  });
  env.writeKubeconfig(args.kubeconfig);
  if (args.infoFile) {
    const info = {
      url: env.url,
      caData: env.caData,
      kubeconfig: args.kubeconfig,
      adminKubeconfig: env.adminKubeconfig,
      tokens: env.tokens,
      backstageToken: env.backstageToken,
      servingCertPem: env.servingCertPem,
      servingKeyPem: env.servingKeyPem,
      nodes: env.nodes,
      pid: process.pid,
      pids: env.pids,
    };
    fs.writeFileSync(`${args.infoFile}.tmp`, JSON.stringify(info, null, 2), {
      mode: 0o600,
    });
    fs.renameSync(`${args.infoFile}.tmp`, args.infoFile);
  }
  process.stdout.write(
    `kube-testenv ready at ${env.url}\nkubeconfig written to ${args.kubeconfig}\n` +
      `try: kubectl --kubeconfig ${args.kubeconfig} --context admin get nodes\n`,
  );
  if (!stopRequested) await stopSignal;
  await env.stop();
  if (args.infoFile) fs.rmSync(args.infoFile, { force: true });
  process.stdout.write('kube-testenv stopped\n');
}
