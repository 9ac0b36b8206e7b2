import os from 'node:os';
import path from 'node:path';
import { parseFlags, parsePort, splitList } from './parseFlags';
import { startKubernetesSandbox } from './startKubernetesSandbox';
import { SandboxOptions } from './types';

const USAGE = `Usage: kube-sandbox [options]

Starts a sandbox Kubernetes API server (not a cluster) on https://127.0.0.1.

Options:
  --port <n>                 port to listen on (default 6443; 0 = any free port)
  --kubeconfig <path>        where to write the kubeconfig (default <tmpdir>/kube-sandbox.kubeconfig)
  --token <token>=<ns,ns|*>  a bearer token and the namespaces it may use; repeatable
                             (default: one token "sandbox-token" with access to everything)
  --namespaces <a,b>         namespaces that exist at start ("default" always does)
  --rollout-delay-ms <n>     simulated time until a workload is ready (default 200)
  --help                     show this text
`;

/** Parsed command line of the kube-sandbox CLI. */
export interface CliArgs {
  options: SandboxOptions;
  kubeconfig: string;
}

/** Parses the kube-sandbox command line; throws on bad input. */
export function parseCliArgs(argv: string[]): CliArgs | 'help' {
  const options: SandboxOptions = { port: 6443 };
  let kubeconfig = path.join(os.tmpdir(), 'kube-sandbox.kubeconfig');
  const tokens: Record<string, string[] | '*'> = {};
  const parsed = parseFlags(argv, {
    '--port': (value, flag) => {
      options.port = parsePort(flag, value(), 0);
    },
    '--kubeconfig': value => {
      kubeconfig = path.resolve(value());
    },
    '--token': value => {
      const v = value();
      const eq = v.indexOf('=');
      if (eq <= 0) {
        throw new Error(
          '--token must look like <token>=<ns1,ns2> or <token>=*',
        );
      }
      const namespaces = v.slice(eq + 1);
      tokens[v.slice(0, eq)] = namespaces === '*' ? '*' : splitList(namespaces);
    },
    '--namespaces': value => {
      options.namespaces = splitList(value());
    },
    '--rollout-delay-ms': value => {
      const ms = Number(value());
      if (!Number.isFinite(ms) || ms < 0) {
        throw new Error('--rollout-delay-ms must be a number >= 0');
      }
      options.rolloutDelayMs = ms;
    },
  });
  if (parsed === 'help') {
    return 'help';
  }
  if (Object.keys(tokens).length > 0) {
    options.tokens = tokens;
    const named = Object.values(tokens).flatMap(ns => (ns === '*' ? [] : ns));
    options.namespaces = [
      ...new Set([...(options.namespaces ?? []), ...named]),
    ];
  }
  return { options, kubeconfig };
}

/** Runs the CLI until SIGINT or SIGTERM. */
export async function main(argv: string[]): Promise<void> {
  let args: CliArgs | 'help';
  try {
    args = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`kube-sandbox: ${(e as Error).message}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (args === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const sandbox = await startKubernetesSandbox(args.options);
  sandbox.writeKubeconfig(args.kubeconfig);
  process.stdout.write(
    `kube-sandbox listening on ${sandbox.url}\nkubeconfig written to ${args.kubeconfig}\n` +
      `try: kubectl --kubeconfig ${args.kubeconfig} get namespaces\n`,
  );
  await new Promise<void>(resolve => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sandbox.close();
  process.stdout.write('kube-sandbox stopped\n');
}
