/*
 * End-to-end test of the marketplace over MCP: runs the real backend
 * (packages/backend, a child process) against the test cluster (the real
 * control plane when built, else the Kubernetes sandbox) and talks to
 * @backstage/plugin-mcp-actions-backend with the official MCP TypeScript SDK
 * client over Streamable HTTP, as three catalog users signed in through the
 * demo's development sign-in:
 *
 * - marcus.bell (team-assistants) lists the tools, searches, reads and
 *   compares models, requests llama-3-1-8b-instruct (policy approval) and
 *   sees the request pending;
 * - lena.hoffmann (team-assistants, not an approver) and marcus himself may
 *   not decide it;
 * - jonas.weber (ml-platform, the model's owner and so its approver) sees it
 *   waiting and approves it;
 * - marcus deploys it into team-assistants' namespace and polls until the
 *   deployment is ready, and a deploy into team-vision's namespace is
 *   refused with the reason and no cluster write.
 */
import { startTestClusterForTests } from '@aic/kubernetes-testenv';
import { MANAGED_BY_VALUE } from '@aic/plugin-model-marketplace-common';
import { renderModelManifests } from '@aic/plugin-model-marketplace-node';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
// eslint-disable-next-line @backstage/no-relative-monorepo-imports
import { startBackend, stopBackend } from '../../../bench/lib/backendProcess';
import {
  QUIET_SEARCH,
  ROOT,
  clusterEnv,
  runCatalogLocations,
  signIn,
  waitFor,
  waitForEntity,
  freePort,
} from './__testUtils__/demoBackend';

// MCP_TEST_PORT, or a free port chosen in beforeAll
let PORT = Number(process.env.MCP_TEST_PORT ?? 0);
let BASE = '';
const TOKEN = 'mcp-test-token-0123456789-not-a-secret';
const MODEL = 'model:default/llama-3-1-8b-instruct';
const TEAM = 'group:default/team-assistants';

jest.setTimeout(300_000);

type ToolResult = {
  isError?: boolean;
  structuredContent?: Record<string, any>;
  content?: Array<{ type: string; text?: string }>;
};

const text = (r: ToolResult) =>
  (r.content ?? []).map(c => c.text ?? '').join('\n');

/** An MCP session of one user. */
async function connect(user: string) {
  const token = await waitFor(
    `sign-in of ${user}`,
    () => signIn(BASE, user),
    60_000,
  );
  const client = new Client({ name: `e2e-${user}`, version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${BASE}/api/mcp-actions/v1`), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  const call = async (name: string, args: Record<string, unknown>) =>
    (await client.callTool({ name, arguments: args })) as ToolResult;
  /** Calls a tool that must succeed; answers its structured output. */
  const ok = async (name: string, args: Record<string, unknown>) => {
    const result = await call(name, args);
    if (result.isError) {
      throw new Error(`${name} failed: ${text(result)}`);
    }
    return result.structuredContent ?? JSON.parse(text(result));
  };
  return { client, call, ok };
}

/**
 * The plugin README carries the tools/list answer between two markers; it
 * must equal the live one (MCP_TEST_WRITE_README=1 rewrites it).
 */
function expectReadmeToListTools(tools: unknown[]) {
  const path = join(ROOT, 'plugins/model-marketplace-backend/README.md');
  const readme = readFileSync(path, 'utf8');
  const start = '<!-- tools/list:start -->\n';
  const end = '<!-- tools/list:end -->';
  const from = readme.indexOf(start) + start.length;
  const to = readme.indexOf(end);
  const live = JSON.stringify({ tools }, null, 2);
  if (process.env.MCP_TEST_WRITE_README) {
    writeFileSync(
      path,
      `${readme.slice(
        0,
        from,
      )}\n<details><summary>tools/list (JSON)</summary>\n\n\`\`\`json\n${live}\n\`\`\`\n\n</details>\n\n${readme.slice(
        to,
      )}`,
    );
    return;
  }
  const block = readme.slice(from, to);
  const json = block.slice(
    block.indexOf('```json\n') + 8,
    block.lastIndexOf('```'),
  );
  expect(JSON.parse(json)).toEqual(JSON.parse(live));
}

describe('the marketplace over MCP', () => {
  let cluster: Awaited<ReturnType<typeof startTestClusterForTests>>;
  let dir: string;
  let backend: ChildProcess | undefined;
  const sessions: Array<{ client: Client }> = [];

  beforeAll(async () => {
    PORT = PORT || (await freePort());
    BASE = `http://localhost:${PORT}`;
    cluster = await startTestClusterForTests({
      namespaces: ['team-assistants', 'team-vision'],
      token: TOKEN,
      rolloutDelayMs: 500,
    });
    dir = mkdtempSync(join(tmpdir(), 'mcp-test-'));
    const configPath = join(dir, 'app-config.mcp-test.yaml');
    writeFileSync(
      configPath,
      JSON.stringify({
        backend: {
          baseUrl: BASE,
          listen: { port: PORT },
          database: {
            client: 'better-sqlite3',
            connection: { directory: join(dir, 'db') },
          },
        },
        catalog: { locations: runCatalogLocations(dir, cluster.ns) },
        search: QUIET_SEARCH,
      }),
    );
    // info: the task log line "checks passed" of model:deploy, which
    // deploy-model waits for, is an info line (the default level)
    backend = startBackend(configPath, {
      ...clusterEnv(cluster),
      LOG_LEVEL: 'info',
    });
    await waitForEntity(BASE, 'template:default/deploy-model');
    await waitForEntity(BASE, MODEL);
    // every model the tools are called with: the index follows the
    // catalog's announcements one by one, so one model there does not mean
    // the others are
    const base = BASE;
    const inIndex = async (name: string) => {
      const token = await signIn(base);
      const res = await fetch(
        `${base}/api/model-marketplace/models/default/${name}`,
        { headers: { Authorization: `Bearer ${token}` } },
      );
      return res.ok ? true : undefined;
    };
    for (const name of ['llama-3-1-8b-instruct', 'mistral-7b-instruct']) {
      await waitFor(
        `${name} in the marketplace index`,
        () => inIndex(name),
        120_000,
      );
    }
  });

  afterAll(async () => {
    await Promise.all(sessions.map(s => s.client.close().catch(() => {})));
    if (backend) await stopBackend(backend);
    await cluster?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('searches, requests, approves and deploys as the users themselves', async () => {
    const marcus = await connect('marcus.bell');
    const lena = await connect('lena.hoffmann');
    const jonas = await connect('jonas.weber');
    sessions.push(marcus, lena, jonas);

    // The tools, with their schemas and attributes.
    const { tools } = await marcus.client.listTools();
    const byName = new Map(tools.map(t => [t.name, t]));
    const names = [
      'search-models',
      'get-model',
      'compare-models',
      'request-model',
      'list-requests',
      'decide-request',
      'list-deployments',
      'deploy-model',
      'undeploy-model',
      'get-deployment-task',
    ];
    const tool = (name: string) => {
      const found = tools.find(t => t.name.endsWith(name));
      if (!found) {
        throw new Error(`no tool ${name} in ${[...byName.keys()].join(', ')}`);
      }
      return found;
    };
    for (const name of names) {
      const t = tool(name);
      expect(t.description?.length).toBeGreaterThan(80);
      for (const [field, schema] of Object.entries(
        (t.inputSchema.properties ?? {}) as Record<string, any>,
      )) {
        expect({ field, described: Boolean(schema.description) }).toEqual({
          field,
          described: true,
        });
      }
    }
    expect(tool('search-models').annotations).toMatchObject({
      readOnlyHint: true,
    });
    expect(tool('deploy-model').annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: true,
    });
    const id = (name: string) => tool(name).name;
    expectReadmeToListTools(
      tools.filter(t => names.some(n => t.name.endsWith(n))),
    );

    // Search, with a facet, as GET /models does.
    const search = await marcus.ok(id('search-models'), {
      q: 'llama',
      type: ['llm'],
    });
    expect(search.items.map((m: any) => m.ref)).toContain(MODEL);
    expect(search.items.every((m: any) => m.type === 'llm')).toBe(true);
    expect(search.facets.type).toEqual(
      expect.arrayContaining([expect.objectContaining({ value: 'llm' })]),
    );

    // A model with its versions and declared metric meanings.
    const model = await marcus.ok(id('get-model'), { model: MODEL });
    expect(model.access.policy).toBe('approval');
    expect(model.viewer).toMatchObject({
      canRequest: true,
      isApprover: false,
      teams: [TEAM],
    });
    const mmlu = model.versions
      .find((v: any) => v.default)
      .metrics.find((m: any) => m.name === 'mmlu');
    expect(mmlu).toMatchObject({ direction: 'higher', value: 0.694 });

    // Compare two models: shared metrics ranked.
    const comparison = await marcus.ok(id('compare-models'), {
      models: [MODEL, 'model:default/mistral-7b-instruct'],
    });
    expect(comparison.models.map((m: any) => m.ref)).toEqual([
      MODEL,
      'model:default/mistral-7b-instruct',
    ]);
    expect(comparison.metrics.length).toBeGreaterThan(0);
    const tooMany = await marcus.call(id('compare-models'), {
      models: [MODEL],
    });
    expect(tooMany.isError).toBe(true);
    expect(text(tooMany)).toMatch(/models/);

    // Request, and see it pending.
    const request = await marcus.ok(id('request-model'), {
      model: MODEL,
      team: TEAM,
      purpose: 'Summaries of support tickets (e2e over MCP)',
    });
    expect(request.status).toBe('pending');
    const mine = await marcus.ok(id('list-requests'), {});
    expect(mine.myRequests).toEqual([
      expect.objectContaining({ id: request.id, status: 'pending' }),
    ]);
    expect(mine.awaitingMyDecision).toEqual([]);

    // Neither a non-approver nor the requester may decide.
    for (const [who, session] of [
      ['lena.hoffmann', lena],
      ['marcus.bell', marcus],
    ] as const) {
      const refused = await session.call(id('decide-request'), {
        id: request.id,
        decision: 'approve',
      });
      expect({ who, isError: refused.isError }).toEqual({ who, isError: true });
      expect(text(refused)).toMatch(
        /not allowed|may not|approver|own request/i,
      );
    }

    // The approver sees it waiting and approves.
    const waiting = await jonas.ok(id('list-requests'), {});
    expect(waiting.awaitingMyDecision.map((r: any) => r.id)).toContain(
      request.id,
    );
    const decided = await jonas.ok(id('decide-request'), {
      id: request.id,
      decision: 'approve',
      comment: 'ok for tickets',
    });
    expect(decided.request).toMatchObject({
      status: 'approved',
      decidedBy: 'user:default/jonas.weber',
    });

    // Deploy into the team's namespace and poll until ready.
    const namespace = cluster.ns('team-assistants');
    const models = new Map(
      parseAllDocuments(
        readFileSync(join(ROOT, 'examples/models.yaml'), 'utf8'),
      )
        .map(d => d.toJSON())
        .filter(e => e?.kind === 'Model')
        .map(e => [e.metadata.name, e]),
    );
    const { name: workload } = renderModelManifests({
      model: models.get('llama-3-1-8b-instruct'),
      team: TEAM,
      namespace,
    });
    await cluster.setReadiness('ready', { namespace, name: workload });
    const started = await marcus.ok(id('deploy-model'), {
      model: MODEL,
      team: TEAM,
      namespace,
      cluster: 'sandbox',
    });
    expect(started.checks).toBe('passed');
    const done = await waitFor(
      'the deploy task to finish',
      async () => {
        const task = await marcus.ok(id('get-deployment-task'), {
          taskId: started.taskId,
        });
        if (task.status === 'failed') {
          throw Object.assign(new Error(`deploy failed: ${task.error}`), {
            fatal: true,
          });
        }
        return task.status === 'completed' ? task : undefined;
      },
      180_000,
    );
    expect(done.deployment).toMatchObject({
      model: MODEL,
      team: TEAM,
      namespace,
      status: 'deployed',
    });
    const listed = await waitFor(
      'the deployment to read ready',
      async () => {
        const { items } = await marcus.ok(id('list-deployments'), {
          model: MODEL,
        });
        return items[0]?.live?.state === 'ready' ? items : undefined;
      },
      60_000,
    );
    expect(listed).toEqual([
      expect.objectContaining({ namespace, status: 'deployed' }),
    ]);

    // A namespace of another team: refused with the reason, nothing written.
    const foreign = cluster.ns('team-vision');
    const writesBefore = cluster.writeCount();
    const refused = await marcus.call(id('deploy-model'), {
      model: MODEL,
      team: TEAM,
      namespace: foreign,
      cluster: 'sandbox',
    });
    expect(refused.isError).toBe(true);
    expect(text(refused)).toMatch(/refused before any cluster call/);
    expect(text(refused)).toContain(foreign);
    expect(cluster.writeCount()).toBe(writesBefore);
    const managed = await cluster.listManaged(MANAGED_BY_VALUE);
    expect(managed.filter(o => o.namespace === foreign)).toEqual([]);
  });
});
