/*
 * What the tests that run the real backend (packages/backend, a child
 * process) against a test cluster share: the catalog of a run
 * (examples/org.yaml copied with the run's namespaces), the config file, and
 * polling and signing in (from bench/lib/backendProcess.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { parse as parseYaml, parseAllDocuments, stringify } from 'yaml';
// The benchmarks' helpers (bench/ is the repository's benchmark folder, not
// a package) start the backend, poll and sign in for the tests too.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import {
  root,
  signIn,
  waitFor as benchWaitFor,
} from '../../../../bench/lib/backendProcess';

/** The repository root. */
export const ROOT = root;

export { signIn };

/**
 * {@link benchWaitFor} polling every 250 ms: calls `fn` until it returns a
 * value (errors count as not yet, except those with `fatal: true`) and fails
 * naming `what` and the last error after `timeoutMs`.
 */
export const waitFor = <T>(
  what: string,
  fn: () => Promise<T | undefined>,
  timeoutMs: number,
) => benchWaitFor(what, fn, timeoutMs, 250);

/**
 * The catalog locations of app-config.yaml for a run: paths made absolute,
 * and examples/org.yaml replaced by a copy in `dir` whose groups name the
 * run's namespaces (`ns(name)`; on the real control plane they are unique to
 * the run, and a name the run does not use stays as it is).
 */
export function runCatalogLocations(
  dir: string,
  ns: (name: string) => string,
): Array<{ type: string; target: string }> {
  const tryNs = (n: string) => {
    try {
      return ns(n);
    } catch {
      return n;
    }
  };
  const orgPath = join(dir, 'org.yaml');
  writeFileSync(
    orgPath,
    parseAllDocuments(readFileSync(join(ROOT, 'examples/org.yaml'), 'utf8'))
      .map(d => d.toJSON())
      .filter(Boolean)
      .map(e => {
        const KEY = 'aic.dev/kubernetes-namespaces';
        const value = e.metadata?.annotations?.[KEY];
        if (value) {
          e.metadata.annotations[KEY] = (value as string)
            .split(',')
            .map(s => {
              const [c, n] = s.trim().split('/');
              return `${c}/${tryNs(n)}`;
            })
            .join(',');
        }
        return stringify(e);
      })
      .join('---\n'),
  );
  return (
    parseYaml(readFileSync(join(ROOT, 'app-config.yaml'), 'utf8')).catalog
      .locations as Array<{ type: string; target: string }>
  ).map(l => ({
    ...l,
    target: l.target.endsWith('examples/org.yaml')
      ? orgPath
      : resolve(ROOT, 'packages/backend', l.target),
  }));
}

/** The environment that points the backend's `sandbox` cluster at `cluster`. */
export function clusterEnv(cluster: {
  url: string;
  token: string;
  caData: string;
}) {
  return {
    SANDBOX_URL: cluster.url,
    SANDBOX_TOKEN: cluster.token,
    SANDBOX_CA_DATA: cluster.caData,
  };
}

/** The search collator of the catalog, kept from running during a test. */
export const QUIET_SEARCH = {
  collators: {
    catalog: {
      schedule: {
        frequency: { hours: 1 },
        timeout: { minutes: 15 },
        initialDelay: { hours: 1 },
      },
    },
  },
};

/** Waits until the catalog holds `entityRef` (as seen by the guest). */
export async function waitForEntity(base: string, entityRef: string) {
  const [kind, rest] = entityRef.split(':');
  await waitFor(
    entityRef,
    async () => {
      const token = await signIn(base);
      if (!token) return undefined;
      const res = await fetch(
        `${base}/api/catalog/entities/by-name/${kind}/${rest}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      return res.ok ? true : undefined;
    },
    180_000,
  );
}

/**
 * A port nobody listens on right now: a backend started on a fixed port
 * would let the test talk to whatever else listens there (a leftover
 * backend of an earlier run, with another catalog).
 */
export function freePort(): Promise<number> {
  return new Promise((settle, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? settle(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}
