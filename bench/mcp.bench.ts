/*
 * MCP benchmark: the marketplace's `search-models` tool, called with the
 * official MCP client over Streamable HTTP (`/api/mcp-actions/v1`), next to
 * the REST call it wraps, `GET /api/model-marketplace/models`, with the same
 * query (q + two facet filters), at N = 10,000 generated Model entities in
 * the catalog of a real backend.
 *
 * The tool goes MCP server → actions service → the marketplace's actions
 * endpoint → its own REST API as the caller, so the difference is what the
 * MCP and actions layers cost. It starts the backend (packages/backend) on
 * BENCH_PORT (default 7131), waits until the marketplace index holds all N
 * models, signs in as the guest user, runs 10 warm-up rounds and
 * BENCH_ROUNDS (default 150) measured rounds (one call of each per round),
 * and prints p50/p95 of both and the p95 overhead ratio (target ≤ 2×).
 *
 * Environment: BENCH_SIZES (default "10000"), BENCH_ROUNDS, BENCH_PORT.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  percentile,
  root,
  startBackend,
  stopBackend,
  waitFor,
} from './lib/backendProcess';
import { generateModels, QUERIES, toCatalogFile } from './lib/generatedModels';

const port = Number(process.env.BENCH_PORT ?? 7131);
const base = `http://localhost:${port}`;
const sizes = (process.env.BENCH_SIZES ?? '10000').split(',').map(Number);
const rounds = Number(process.env.BENCH_ROUNDS ?? 150);
const TOOL = 'search-models';

type Row = {
  n: number;
  restP50: number;
  restP95: number;
  mcpP50: number;
  mcpP95: number;
  items: number;
};

async function benchmark(n: number, dir: string): Promise<Row> {
  const modelsFile = join(dir, `models-${n}.yaml`);
  writeFileSync(modelsFile, toCatalogFile(generateModels(n)));
  const configFile = join(dir, `config-${n}.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      backend: { baseUrl: base, listen: { port } },
      catalog: {
        processingInterval: { minutes: 30 },
        locations: [
          {
            type: 'file',
            target: join(root, 'examples/org.yaml'),
            rules: [{ allow: ['User', 'Group'] }],
          },
          { type: 'file', target: modelsFile, rules: [{ allow: ['Model'] }] },
        ],
      },
      modelMarketplace: { index: { refreshInterval: { seconds: 5 } } },
      search: {
        collators: {
          catalog: {
            schedule: {
              frequency: { hours: 24 },
              timeout: { minutes: 15 },
              initialDelay: { hours: 24 },
            },
          },
        },
      },
    }),
  );
  process.stdout.write(`N=${n}: starting the backend on port ${port}...\n`);
  const backend = startBackend(configFile);
  const client = new Client({ name: 'mcp-bench', version: '1.0.0' });
  try {
    const token = await waitFor(
      'the guest sign-in',
      async () => {
        const res = await fetch(`${base}/api/auth/guest/refresh`);
        return res.ok
          ? ((await res.json()) as { backstageIdentity: { token: string } })
              .backstageIdentity.token
          : undefined;
      },
      180_000,
    );
    const headers = { Authorization: `Bearer ${token}` };
    const started = Date.now();
    await waitFor(
      `${n} models in the marketplace index`,
      async () => {
        const res = await fetch(
          `${base}/api/model-marketplace/models?limit=1`,
          {
            headers,
          },
        );
        const body = (await res.json()) as { totalItems: number };
        return body.totalItems >= n ? true : undefined;
      },
      30 * 60_000,
    );
    process.stdout.write(
      `N=${n}: indexed in ${Math.round(
        (Date.now() - started) / 1000,
      )} s; measuring...\n`,
    );
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${base}/api/mcp-actions/v1`), {
        requestInit: { headers },
      }),
    );
    const { tools } = await client.listTools();
    const tool = tools.find(t => t.name.endsWith(TOOL));
    if (!tool) {
      throw new Error(
        `no ${TOOL} tool in ${tools.map(t => t.name).join(', ')}`,
      );
    }

    const restTimes: number[] = [];
    const mcpTimes: number[] = [];
    let items = 0;
    for (let round = -10; round < rounds; round++) {
      const q = QUERIES[(round + 10) % QUERIES.length];
      const query = {
        q,
        type: ['llm', 'embedding'],
        lifecycle: ['production'],
      };

      let t = performance.now();
      const res = await fetch(
        `${base}/api/model-marketplace/models?${new URLSearchParams([
          ['q', q],
          ...query.type.map(v => ['type', v]),
          ...query.lifecycle.map(v => ['lifecycle', v]),
          ['limit', '10'],
        ])}`,
        { headers },
      );
      const rest = (await res.json()) as { totalItems: number };
      const restMs = performance.now() - t;
      if (!res.ok) throw new Error(`GET /models answered ${res.status}`);

      t = performance.now();
      const result = await client.callTool({
        name: tool.name,
        arguments: query,
      });
      const mcpMs = performance.now() - t;
      const output = result.structuredContent as
        | { totalItems: number; items: unknown[] }
        | undefined;
      if (result.isError || output?.totalItems !== rest.totalItems) {
        throw new Error(
          `${TOOL} disagrees with GET /models: ${JSON.stringify(result).slice(
            0,
            300,
          )}`,
        );
      }
      if (round >= 0) {
        restTimes.push(restMs);
        mcpTimes.push(mcpMs);
        items = Math.max(items, output.items.length);
      }
    }
    return {
      n,
      restP50: percentile(restTimes, 50),
      restP95: percentile(restTimes, 95),
      mcpP50: percentile(mcpTimes, 50),
      mcpP95: percentile(mcpTimes, 95),
      items,
    };
  } finally {
    await client.close().catch(() => undefined);
    await stopBackend(backend);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-bench-'));
  const rows: Row[] = [];
  try {
    for (const n of sizes) {
      rows.push(await benchmark(n, dir));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const f = (ms: number) => ms.toFixed(1).padStart(8);
  process.stdout.write(
    `\nMCP ${TOOL} vs GET /models: q + 2 facet filters, 10 per page, ${rounds} rounds (ms)\n`,
  );
  process.stdout.write(
    '     N | REST p50 | REST p95 |  MCP p50 |  MCP p95 | p50 ratio | p95 ratio | target\n',
  );
  for (const r of rows) {
    const ratio = r.mcpP95 / r.restP95;
    process.stdout.write(
      `${String(r.n).padStart(6)} | ${f(r.restP50)} | ${f(r.restP95)} | ${f(
        r.mcpP50,
      )} | ${f(r.mcpP95)} | ${(r.mcpP50 / r.restP50)
        .toFixed(2)
        .padStart(8)}x | ${ratio.toFixed(2).padStart(8)}x | ${
        ratio <= 2 ? 'met (≤ 2×)' : 'MISSED (> 2×)'
      }\n`,
    );
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
