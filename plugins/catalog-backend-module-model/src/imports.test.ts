import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve as resolvePath } from 'node:path';
import {
  coreServices,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import request from 'supertest';
import { parse, stringify } from 'yaml';
import { catalogModuleModelEntity } from './module';
import {
  catalogErrorCollector,
  catalogRules,
} from './__testUtils__/catalogTestBackend';

const examples = resolvePath(__dirname, '../../../examples');

/** A root logger that keeps every message, to wait on what the provider logs. */
class CapturingLogger implements RootLoggerService {
  constructor(readonly lines: string[] = []) {}
  error(message: string) {
    this.lines.push(`error ${message}`);
  }
  warn(message: string) {
    this.lines.push(`warn ${message}`);
  }
  info(message: string) {
    this.lines.push(`info ${message}`);
  }
  debug() {}
  child() {
    return this;
  }
}

/** Serves a folder over HTTP on the first free port from 47100. */
async function serveFolder(
  folder: string,
): Promise<{ server: Server; base: string }> {
  const server = createServer(async (req, res) => {
    const path = join(
      folder,
      decodeURIComponent(req.url ?? '/').replace(/\.\./g, ''),
    );
    try {
      const body = await fs.readFile(path);
      res.writeHead(200, { 'content-type': 'text/yaml' }).end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  for (let port = 47100; port < 47200; port++) {
    try {
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
      const { port: bound } = server.address() as AddressInfo;
      return { server, base: `http://127.0.0.1:${bound}` };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
        throw error;
      }
    }
  }
  throw new Error('no free port in 47100-47199');
}

async function copyFolder(from: string, to: string) {
  await fs.mkdir(to, { recursive: true });
  for (const name of await fs.readdir(from)) {
    await fs.copyFile(join(from, name), join(to, name));
  }
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) {
        return value;
      }
    } catch (error) {
      last = error;
    }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`Timed out waiting for ${what}${last ? `: ${last}` : ''}`);
}

/**
 * The real catalog with this module, reading the example Kubeflow sources
 * (from files and over HTTP through the UrlReader) and the example model
 * card, plus broken cards.
 */
describe('importing models into the real catalog', () => {
  jest.setTimeout(180_000);

  let dir: string;
  let http: { server: Server; base: string };
  let server: any;
  const logger = new CapturingLogger();
  const collected = catalogErrorCollector();
  const errors = collected.errors;

  const entity = async (ref: string) => {
    const [kind, rest] = ref.split(':');
    const res = await request(server).get(
      `/api/catalog/entities/by-name/${kind}/${rest}`,
    );
    return res.status === 200 ? res.body : undefined;
  };
  const relationsOf = (e: any) =>
    (e.relations ?? []).map((r: any) => `${r.type} ${r.targetRef}`);

  beforeAll(async () => {
    dir = await fs.mkdtemp(join(tmpdir(), 'aic-import-'));
    await copyFolder(join(examples, 'kubeflow'), join(dir, 'kubeflow'));
    await copyFolder(join(examples, 'kubeflow'), join(dir, 'served'));
    // A second model whose name gives the same entity name as the first.
    await fs.appendFile(
      join(dir, 'kubeflow/validated-models.yaml'),
      `
  - name: other-org/Granite_3.1_8B_Instruct
    artifacts:
      - uri: oci://registry.acme.internal/other/granite:9
`,
    );
    await copyFolder(
      join(examples, 'hf-model-cards/support-summarizer-8b'),
      join(dir, 'cards/support-summarizer-8b'),
    );
    const card = await fs.readFile(
      join(dir, 'cards/support-summarizer-8b/README.md'),
      'utf8',
    );
    // Two broken cards: one without an owner, one with a bad artifact.
    await fs.mkdir(join(dir, 'cards/no-owner'), { recursive: true });
    await fs.writeFile(
      join(dir, 'cards/no-owner/README.md'),
      card
        .replace('name: support-summarizer-8b', 'name: no-owner-8b')
        .replace('  owner: group:default/team-assistants\n', ''),
    );
    await fs.mkdir(join(dir, 'cards/bad-artifact'), { recursive: true });
    await fs.writeFile(
      join(dir, 'cards/bad-artifact/README.md'),
      card
        .replace('name: support-summarizer-8b', 'name: bad-artifact-8b')
        .replace(
          's3://acme-ml-models/support-summarizer-8b/0.3.0/',
          'ftp://files.acme.internal/summarizer.tar',
        ),
    );
    // The same card served over HTTP, in namespace mirror, with a relative
    // license link that resolves against its URL.
    await fs.mkdir(join(dir, 'served/cards/summarizer'), { recursive: true });
    await fs.writeFile(
      join(dir, 'served/cards/summarizer/README.md'),
      card
        .replace(
          'license: apache-2.0\n',
          'license: apache-2.0\nlicense_link: LICENSE\n',
        )
        .replace('aic:\n', 'aic:\n  namespace: mirror\n'),
    );
    http = await serveFolder(join(dir, 'served'));

    const file = (target: string) => ({ type: 'file', target });
    const schedule = { frequency: { seconds: 1 }, timeout: { seconds: 30 } };
    ({ server } = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleModelEntity,
        ...collected.features,
        // The real scheduler, so the configured schedules really repeat.
        schedulerServiceFactory,
        createServiceFactory({
          service: coreServices.rootLogger,
          deps: {},
          factory: () => logger,
        }),
        mockServices.rootConfig.factory({
          data: {
            backend: {
              reading: { allow: [{ host: new URL(http.base).host }] },
            },
            catalog: {
              processingInterval: { seconds: 1 },
              rules: catalogRules(),
              locations: [
                file(join(examples, 'org.yaml')),
                file(join(examples, 'systems.yaml')),
                file(join(examples, 'datasets.yaml')),
                file(join(dir, 'cards/support-summarizer-8b/README.md')),
                file(join(dir, 'cards/no-owner/README.md')),
                file(join(dir, 'cards/bad-artifact/README.md')),
                file(join(dir, 'cards/missing/README.md')),
                {
                  type: 'url',
                  target: `${http.base}/cards/summarizer/README.md`,
                },
              ],
              providers: {
                kubeflowModelCatalog: {
                  files: {
                    sources: join(dir, 'kubeflow/sources.yaml'),
                    owner: 'ml-platform',
                    schedule,
                  },
                  web: {
                    sources: `${http.base}/sources.yaml`,
                    owner: 'group:default/team-search',
                    namespace: 'mirror',
                    lifecycle: 'production',
                    schedule,
                  },
                },
              },
            },
          },
        }),
      ],
    }));
  });

  afterAll(async () => {
    http?.server.close();
    if (dir) {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('imports each Kubeflow model as a valid Model with versions, metrics, card and owner', async () => {
    const granite = await waitFor('granite with relations', async () => {
      const e = await entity('model:default/granite-3-1-8b-instruct');
      return e?.relations?.length ? e : undefined;
    });
    expect(granite.metadata.title).toBe('ibm-granite/granite-3.1-8b-instruct');
    expect(granite.metadata.tags).toEqual(['validated', 'tool-calling']);
    expect(granite.spec).toMatchObject({
      type: 'llm',
      task: 'text-generation',
      lifecycle: 'production',
      owner: 'group:default/ml-platform',
      framework: 'transformers',
      license: 'apache-2.0',
      licenseUrl: 'https://www.apache.org/licenses/LICENSE-2.0',
    });
    expect(granite.spec.languages).toContain('ja');
    expect(granite.spec.versions).toEqual([
      {
        version: '1.4',
        artifact:
          'oci://registry.acme.internal/modelcars/granite-3.1-8b-instruct:1.4',
        created: '2024-12-16',
      },
      {
        version: '1.5',
        artifact:
          'oci://registry.acme.internal/modelcars/granite-3.1-8b-instruct:1.5',
        format: 'safetensors',
        created: '2025-03-01',
        default: true,
        metrics: {
          'ttft_mean [chatbot, 1xH100, 2 rps]': 61.4,
          'ttft_p90 [chatbot, 1xH100, 2 rps]': 88.9,
          'itl_mean [chatbot, 1xH100, 2 rps]': 9.7,
          'e2e_p90 [chatbot, 1xH100, 2 rps]': 2710.5,
          'tps_mean [chatbot, 1xH100, 2 rps]': 402.3,
          'ttft_mean [rag, 2xL40S, 1 rps]': 412.8,
          'ttft_p90 [rag, 2xL40S, 1 rps]': 655.1,
          'itl_mean [rag, 2xL40S, 1 rps]': 21.3,
          'e2e_p90 [rag, 2xL40S, 1 rps]': 6240,
          'tps_mean [rag, 2xL40S, 1 rps]': 188.6,
          mmlu: 65.8,
          gsm8k: 72.1,
        },
      },
    ]);
    // Direction and unit are declared in spec.evaluation, not an annotation.
    expect(granite.metadata.annotations['aic.dev/metric-info']).toBeUndefined();
    const info = Object.fromEntries(
      granite.spec.evaluation.metrics.map(({ name, ...rest }: any) => [
        name,
        rest,
      ]),
    );
    expect(info['ttft_p90 [rag, 2xL40S, 1 rps]']).toEqual({
      direction: 'lower',
      unit: 'ms',
    });
    expect(info['tps_mean [chatbot, 1xH100, 2 rps]']).toEqual({
      direction: 'higher',
      unit: 'tokens/s',
    });
    expect(info.mmlu).toEqual({ direction: 'higher', unit: '%' });
    expect(granite.metadata.annotations).toMatchObject({
      'aic.dev/kubeflow-source': 'acme-validated',
      'aic.dev/kubeflow-model': 'ibm-granite/granite-3.1-8b-instruct',
      'kubeflow.aic.dev/provider': 'IBM',
      'kubeflow.aic.dev/maturity': 'Generally Available',
      'kubeflow.aic.dev/context_window': '131072',
      'kubeflow.aic.dev/reviewed_by': 'ml-platform',
      'backstage.io/managed-by-location': `file:${join(
        dir,
        'kubeflow/validated-models.yaml',
      )}`,
      'backstage.io/kubernetes-label-selector':
        'aic.dev/model=granite-3-1-8b-instruct',
    });
    // The readme is the card, carried in a data: URL the backend serves.
    const card = granite.metadata.annotations['aic.dev/model-card'];
    expect(card).toMatch(/^data:text\/markdown;charset=utf-8;base64,/);
    expect(Buffer.from(card.split(',')[1], 'base64').toString('utf8')).toMatch(
      /^# Granite 3\.1 8B Instruct\n[\s\S]*## Validation at ACME/,
    );
    expect(relationsOf(granite)).toContain('ownedBy group:default/ml-platform');
    expect(logger.lines).toEqual(
      expect.arrayContaining([
        'info Kubeflow catalog source hf-mirror skipped: type "hf" is not read, only "yaml"',
        'info Kubeflow catalog source retired-2023 skipped: disabled',
      ]),
    );
    // The clashing model is left out with a warning naming both.
    expect(logger.lines).toContainEqual(
      expect.stringContaining(
        'source acme-validated: model "other-org/Granite_3.1_8B_Instruct" has the entity name "granite-3-1-8b-instruct" of model "ibm-granite/granite-3.1-8b-instruct" of source acme-validated; left out',
      ),
    );

    const mistral = await waitFor('mistral', () =>
      entity('model:default/mistral-small-24b-instruct-2501'),
    );
    expect(mistral.spec.lifecycle).toBe('experimental');
    expect(mistral.spec.versions).toEqual([
      expect.objectContaining({
        version: '1.0',
        default: true,
        metrics: { mmlu: 81.2 },
      }),
    ]);
    const embedding = await waitFor('embedding', () =>
      entity('model:default/granite-embedding-278m-multilingual'),
    );
    expect(embedding.spec.type).toBe('embedding');
    expect(
      embedding.metadata.annotations['aic.dev/model-card'],
    ).toBeUndefined();
    const sql = await waitFor('sql coder', () =>
      entity('model:default/sql-coder-7b'),
    );
    expect(sql.metadata.tags).toEqual(['community']);
    expect(sql.spec.lifecycle).toBe('experimental');
    expect(sql.spec.versions[0]).toMatchObject({
      version: '0.4.2',
      metrics: { execution_accuracy: 0.713, exact_match: 0.552 },
    });

    // Filters and skipped sources: the fp8 preview is excluded, the toy
    // model is not included, the hf and disabled sources are not read.
    const models = await request(server)
      .get('/api/catalog/entities/by-query')
      .query({ filter: 'kind=model,metadata.namespace=default', limit: 100 });
    expect(models.body.items.map((e: any) => e.metadata.name).sort()).toEqual(
      [
        'granite-3-1-8b-instruct',
        'granite-embedding-278m-multilingual',
        'mistral-small-24b-instruct-2501',
        'sql-coder-7b',
        'support-summarizer-8b',
      ].sort(),
    );
  });

  it('reads sources over HTTP through the UrlReader too', async () => {
    const mirrored = await waitFor('the mirror', () =>
      entity('model:mirror/granite-3-1-8b-instruct'),
    );
    expect(mirrored.spec.owner).toBe('group:default/team-search');
    expect(
      mirrored.metadata.annotations['backstage.io/managed-by-location'],
    ).toBe(`url:${http.base}/validated-models.yaml`);
    // The configured lifecycle applies only where maturity says nothing
    // known; "Technology Preview" still means experimental.
    const mistral = await waitFor('mirrored mistral', () =>
      entity('model:mirror/mistral-small-24b-instruct-2501'),
    );
    expect(mistral.spec.lifecycle).toBe('experimental');
  });

  it('turns a model card into a Model with owner and dependsOn relations to its base model and datasets', async () => {
    const card = await waitFor('the card model with relations', async () => {
      const e = await entity('model:default/support-summarizer-8b');
      return relationsOf(e ?? {}).some((r: string) => r.startsWith('dependsOn'))
        ? e
        : undefined;
    });
    expect(card.metadata).toMatchObject({
      title: 'Support Summarizer 8B',
      tags: ['fine-tune', 'support', 'lora'],
    });
    expect(card.metadata.description).toMatch(/^A LoRA fine-tune of Granite/);
    expect(card.metadata.annotations['aic.dev/model-card']).toBe('./README.md');
    expect(card.spec).toMatchObject({
      type: 'llm',
      task: 'summarization',
      lifecycle: 'experimental',
      owner: 'group:default/team-assistants',
      system: 'genai-platform',
      framework: 'transformers',
      languages: ['en', 'de'],
      license: 'apache-2.0',
      baseModel: 'granite-3-1-8b-instruct',
      datasets: ['support-tickets-corpus', 'call-center-transcripts'],
      access: { policy: 'approval' },
    });
    expect(card.spec.versions[0].metrics).toEqual({
      'support-tickets-corpus/rougel': 0.412,
      'support-tickets-corpus/bertscore-f1': 0.893,
      'call-center-transcripts/rougel': 0.378,
    });
    expect(relationsOf(card)).toEqual(
      expect.arrayContaining([
        'ownedBy group:default/team-assistants',
        'partOf system:default/genai-platform',
        'dependsOn model:default/granite-3-1-8b-instruct',
        'dependsOn resource:default/support-tickets-corpus',
        'dependsOn resource:default/call-center-transcripts',
      ]),
    );
    // The Kubeflow-imported base model sees the fine-tune from its side.
    await waitFor('the reverse relation', async () => {
      const base = await entity('model:default/granite-3-1-8b-instruct');
      return relationsOf(base).includes(
        'dependencyOf model:default/support-summarizer-8b',
      )
        ? true
        : undefined;
    });
  });

  it('reads a model card from a URL through the UrlReader', async () => {
    const card = await waitFor('the card read over HTTP', () =>
      entity('model:mirror/support-summarizer-8b'),
    );
    expect(card.metadata.annotations['backstage.io/managed-by-location']).toBe(
      `url:${http.base}/cards/summarizer/README.md`,
    );
    expect(card.spec.licenseUrl).toBe(`${http.base}/cards/summarizer/LICENSE`);
    // A short ref resolves in the entity's own namespace.
    expect(relationsOf(card)).toContain(
      'dependsOn model:mirror/granite-3-1-8b-instruct',
    );
  });

  it('reports a missing card as not found', async () => {
    const missing = await waitFor('the missing card error', async () =>
      [...errors.values()].find(m => m.includes('cards/missing/README.md')),
    );
    expect(missing).toContain(
      `Model card ${join(dir, 'cards/missing/README.md')} does not exist`,
    );
  });

  it('reports a broken card with an error naming the front-matter field and ingests nothing of it', async () => {
    const byTarget = (part: string) =>
      [...errors.values()].find(m => m.includes(part));
    const noOwner = await waitFor('the no-owner error', async () =>
      byTarget('cards/no-owner/README.md'),
    );
    expect(noOwner).toContain(
      'spec.owner is required (front matter: aic.owner)',
    );
    const badArtifact = await waitFor('the bad-artifact error', async () =>
      byTarget('cards/bad-artifact/README.md'),
    );
    expect(badArtifact).toContain(
      'spec.versions[0].artifact has unsupported scheme "ftp://"',
    );
    expect(badArtifact).toContain('(front matter: aic.versions)');
    expect(await entity('model:default/no-owner-8b')).toBeUndefined();
    expect(await entity('model:default/bad-artifact-8b')).toBeUndefined();
  });

  it('keeps the last good model when its card breaks', async () => {
    const path = join(dir, 'cards/support-summarizer-8b/README.md');
    const good = await fs.readFile(path, 'utf8');
    await fs.writeFile(
      path,
      good.replace('lifecycle: experimental', 'lifecycle: 7'),
    );
    await waitFor('the lifecycle error', async () =>
      [...errors.values()].find(
        m =>
          m.includes('cards/support-summarizer-8b/README.md') &&
          m.includes(
            'spec.lifecycle must be string (front matter: aic.lifecycle)',
          ),
      ),
    );
    const kept = await entity('model:default/support-summarizer-8b');
    expect(kept.spec.lifecycle).toBe('experimental');
    await fs.writeFile(
      path,
      good.replace('lifecycle: experimental', 'lifecycle: production'),
    );
    await waitFor('the fixed card', async () => {
      const e = await entity('model:default/support-summarizer-8b');
      return e?.spec.lifecycle === 'production' ? true : undefined;
    });
  });

  it('keeps the imported models when a source breaks, and removes a model once it leaves the source', async () => {
    const catalogPath = join(dir, 'kubeflow/validated-models.yaml');
    const original = parse(await fs.readFile(catalogPath, 'utf8'));

    // A malformed catalog fails the refresh with the field named; nothing
    // is applied, so nothing disappears.
    const broken = structuredClone(original);
    delete broken.models[2].name;
    await fs.writeFile(catalogPath, stringify(broken));
    const failures = () =>
      logger.lines.filter(l => l.includes('models[2].name is required')).length;
    await waitFor('two failed refreshes', async () =>
      failures() >= 2 ? true : undefined,
    );
    expect(
      logger.lines.find(l => l.includes('models[2].name is required')),
    ).toContain(`Invalid model catalog ${catalogPath} (source acme-validated)`);
    expect(
      await entity('model:default/mistral-small-24b-instruct-2501'),
    ).toBeDefined();

    // Removing the model from the file removes the entity.
    const without = structuredClone(original);
    without.models.splice(2, 1);
    await fs.writeFile(catalogPath, stringify(without));
    await waitFor('mistral to leave the catalog', async () =>
      (await entity('model:default/mistral-small-24b-instruct-2501'))
        ? undefined
        : true,
    );
    expect(await entity('model:default/granite-3-1-8b-instruct')).toBeDefined();

    // Disabling a source removes its models; over HTTP as well.
    const sourcesPath = join(dir, 'served/sources.yaml');
    const sources = parse(await fs.readFile(sourcesPath, 'utf8'));
    sources.catalogs[1].enabled = false;
    await fs.writeFile(sourcesPath, stringify(sources));
    await waitFor('the mirrored sql coder to leave', async () =>
      (await entity('model:mirror/sql-coder-7b')) ? undefined : true,
    );
    expect(await entity('model:mirror/granite-3-1-8b-instruct')).toBeDefined();
  });
});
