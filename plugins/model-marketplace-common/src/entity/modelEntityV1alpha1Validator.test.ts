import { validateModelEntity } from './modelEntityV1alpha1Validator';
import schema from './ModelEntityV1alpha1.schema.json';
import { isModelEntity } from './isModelEntity';

type Json = any;

function validModel(): Json {
  return {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'bge-large-en-v1-5', title: 'BGE Large EN v1.5' },
    spec: {
      type: 'embedding',
      task: 'feature-extraction',
      lifecycle: 'production',
      owner: 'team-search',
      system: 'search-platform',
      framework: 'pytorch',
      parameters: '335M',
      languages: ['en'],
      license: 'mit',
      baseModel: 'model:default/bert-large',
      datasets: ['resource:default/query-logs', 'msmarco'],
      versions: [
        {
          version: '1.5.0',
          artifact: 'hf://BAAI/bge-large-en-v1.5',
          created: '2023-09-12',
          default: true,
          metrics: { ndcg_at_10: 0.541 },
        },
        { version: '1.0.0', artifact: 's3://models/bge-large/1.0/' },
      ],
      access: {
        policy: 'approval',
        approvers: ['group:default/ai-governance'],
      },
      serving: {
        runtime: 'kserve',
        modelFormat: 'huggingface',
        port: 8080,
        protocol: 'v2-inference',
        resources: { cpu: '2', memory: '8Gi', gpu: 1 },
        replicas: { min: 1, max: 3 },
      },
    },
  };
}

function mutate(change: (m: Json) => void): Json {
  const m = validModel();
  change(m);
  return m;
}

function errorOf(entity: Json): string {
  try {
    validateModelEntity(entity);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the entity to be rejected');
}

describe('validateModelEntity', () => {
  it('accepts a complete model and returns it', () => {
    const m = validModel();
    expect(validateModelEntity(m)).toBe(m);
    expect(isModelEntity(m)).toBe(true);
  });

  it('accepts every example in the JSON schema', () => {
    expect(schema.examples.length).toBeGreaterThan(0);
    for (const example of schema.examples) {
      expect(validateModelEntity(example)).toBe(example);
    }
  });

  it('accepts a minimal model', () => {
    const m = {
      apiVersion: 'aic.dev/v1alpha1',
      kind: 'Model',
      metadata: { name: 'tiny' },
      spec: {
        type: 'a-new-type-not-in-the-vocabulary',
        lifecycle: 'experimental',
        owner: 'user:default/jane',
        versions: [{ version: '0.1', artifact: 'pvc://models/tiny' }],
      },
    };
    expect(validateModelEntity(m)).toBe(m);
  });

  it('returns false for other kinds so other validators can run', () => {
    expect(
      validateModelEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).toBe(false);
    expect(
      isModelEntity({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
      }),
    ).toBe(false);
  });

  it.each(['type', 'lifecycle', 'owner', 'versions'])(
    'rejects a model without spec.%s, naming the field',
    field => {
      const message = errorOf(mutate(m => delete m.spec[field]));
      expect(message).toContain(`spec.${field} is required`);
    },
  );

  it('rejects a model without spec', () => {
    expect(errorOf(mutate(m => delete m.spec))).toContain('spec is required');
  });

  it.each([
    ['type', 7, 'spec.type must be string'],
    ['lifecycle', true, 'spec.lifecycle must be string'],
    ['owner', ['a'], 'spec.owner must be string'],
    ['versions', 'v1', 'spec.versions must be array'],
    ['languages', 'en', 'spec.languages must be array'],
    ['parameters', 8, 'spec.parameters must be string'],
    ['datasets', 'x', 'spec.datasets must be array'],
    ['access', 'open', 'spec.access must be object'],
    ['serving', [], 'spec.serving must be object'],
  ])('rejects spec.%s of the wrong type', (field, value, expected) => {
    expect(errorOf(mutate(m => (m.spec[field] = value)))).toContain(expected);
  });

  it('rejects an empty versions list', () => {
    expect(errorOf(mutate(m => (m.spec.versions = [])))).toContain(
      'spec.versions must NOT have fewer than 1 items',
    );
  });

  it('rejects a version without an artifact', () => {
    expect(errorOf(mutate(m => delete m.spec.versions[1].artifact))).toContain(
      'spec.versions[1].artifact is required',
    );
  });

  it('rejects a duplicate version', () => {
    expect(
      errorOf(mutate(m => (m.spec.versions[1].version = '1.5.0'))),
    ).toContain(
      'spec.versions[1].version "1.5.0" is not unique: spec.versions[0] has the same version',
    );
  });

  it('rejects two default versions', () => {
    expect(errorOf(mutate(m => (m.spec.versions[1].default = true)))).toContain(
      'spec.versions[1].default: at most one version may be the default',
    );
  });

  it('rejects an artifact that is not a URI', () => {
    expect(
      errorOf(
        mutate(m => (m.spec.versions[0].artifact = 'weights.safetensors')),
      ),
    ).toContain('spec.versions[0].artifact "weights.safetensors" is not a URI');
  });

  it('rejects an artifact with an unsupported scheme', () => {
    expect(
      errorOf(mutate(m => (m.spec.versions[0].artifact = 'ftp://host/w.bin'))),
    ).toContain('spec.versions[0].artifact has unsupported scheme "ftp://"');
  });

  it('rejects a negative GPU count', () => {
    expect(errorOf(mutate(m => (m.spec.serving.resources.gpu = -1)))).toContain(
      'spec.serving.resources.gpu must be >= 0',
    );
  });

  it('rejects a fractional GPU count', () => {
    expect(
      errorOf(mutate(m => (m.spec.serving.resources.gpu = 0.5))),
    ).toContain('spec.serving.resources.gpu must be integer');
  });

  it('rejects a non-numeric metric', () => {
    expect(
      errorOf(mutate(m => (m.spec.versions[0].metrics.accuracy = 'high'))),
    ).toContain('spec.versions[0].metrics.accuracy must be number');
  });

  it.each([
    ['owner', 'group:default/Team X!', 'spec.owner "group:default/Team X!"'],
    ['owner', 'group:', 'spec.owner "group:"'],
    ['system', 'a/b/c', 'spec.system "a/b/c"'],
    ['baseModel', ':nope', 'spec.baseModel ":nope"'],
  ])('rejects a malformed entity ref in spec.%s', (field, value, expected) => {
    const message = errorOf(mutate(m => (m.spec[field] = value)));
    expect(message).toContain(expected);
    expect(message).toContain('is not a valid entity reference');
  });

  it('rejects a malformed entity ref inside a list, naming the index', () => {
    expect(
      errorOf(mutate(m => (m.spec.datasets[1] = 'resource:bad name'))),
    ).toContain(
      'spec.datasets[1] "resource:bad name" is not a valid entity reference',
    );
    expect(
      errorOf(mutate(m => (m.spec.access.approvers = ['ok', 'no way']))),
    ).toContain('spec.access.approvers[1] "no way"');
  });

  it('rejects an unknown access policy and lists the allowed ones', () => {
    expect(errorOf(mutate(m => (m.spec.access.policy = 'secret')))).toContain(
      'spec.access.policy must be equal to one of the allowed values: open, approval, restricted',
    );
  });

  it('rejects a restricted policy without allowed groups', () => {
    expect(
      errorOf(mutate(m => (m.spec.access = { policy: 'restricted' }))),
    ).toContain('spec.access.allowedGroups must name at least one group');
  });

  it('rejects an unknown serving runtime', () => {
    expect(errorOf(mutate(m => (m.spec.serving.runtime = 'triton')))).toContain(
      'spec.serving.runtime must be equal to one of the allowed values',
    );
  });

  it('accepts the kserve-llm runtime and names the allowed runtimes otherwise', () => {
    expect(() =>
      validateModelEntity(mutate(m => (m.spec.serving.runtime = 'kserve-llm'))),
    ).not.toThrow();
    // KServe's short name of the kind is not a runtime value
    expect(
      errorOf(mutate(m => (m.spec.serving.runtime = 'llmisvc'))),
    ).toContain(
      'spec.serving.runtime must be equal to one of the allowed values: kserve, kserve-llm, vllm, tgi, container',
    );
  });

  it('rejects an inverted replica range', () => {
    expect(
      errorOf(mutate(m => (m.spec.serving.replicas = { min: 3, max: 1 }))),
    ).toContain(
      'spec.serving.replicas.min (3) must not exceed spec.serving.replicas.max (1)',
    );
  });

  it('rejects a port out of range and a malformed parameter count', () => {
    expect(errorOf(mutate(m => (m.spec.serving.port = 70000)))).toContain(
      'spec.serving.port must be <= 65535',
    );
    expect(
      errorOf(mutate(m => (m.spec.parameters = 'eight billion'))),
    ).toContain('spec.parameters must match pattern');
  });

  it('rejects a created date that is not a date', () => {
    expect(
      errorOf(mutate(m => (m.spec.versions[0].created = '2023-13-45'))),
    ).toContain('spec.versions[0].created "2023-13-45" is not a valid date');
  });

  describe('spec.evaluation', () => {
    const evaluation = () => ({
      metrics: [
        { name: 'ndcg_at_10', displayName: 'nDCG@10', direction: 'higher' },
        { name: 'p95_latency_ms', direction: 'lower', unit: 'ms' },
      ],
    });

    it('accepts declared metrics and keeps them', () => {
      const m = mutate(x => (x.spec.evaluation = evaluation()));
      const valid = validateModelEntity(m);
      expect(valid && valid.spec.evaluation?.metrics?.[1]).toEqual({
        name: 'p95_latency_ms',
        direction: 'lower',
        unit: 'ms',
      });
    });

    it('accepts a metric without a direction', () => {
      const m = mutate(
        x => (x.spec.evaluation = { metrics: [{ name: 'perplexity' }] }),
      );
      expect(validateModelEntity(m)).toBe(m);
    });

    it('rejects an unknown direction, naming the metric', () => {
      const m = mutate(x => {
        x.spec.evaluation = evaluation();
        x.spec.evaluation.metrics[1].direction = 'smaller';
      });
      expect(errorOf(m)).toContain(
        'spec.evaluation.metrics[1].direction must be equal to one of the allowed values: higher, lower',
      );
    });

    it('rejects a metric without a name and an unknown field', () => {
      expect(
        errorOf(
          mutate(x => (x.spec.evaluation = { metrics: [{ unit: 'ms' }] })),
        ),
      ).toContain('spec.evaluation.metrics[0].name is required');
      expect(
        errorOf(
          mutate(
            x =>
              (x.spec.evaluation = {
                metrics: [{ name: 'a', better: 'higher' }],
              }),
          ),
        ),
      ).toContain('spec.evaluation.metrics[0].better is not a known field');
    });

    it('rejects a metric declared twice', () => {
      const m = mutate(x => {
        x.spec.evaluation = evaluation();
        x.spec.evaluation.metrics.push({ name: 'ndcg_at_10' });
      });
      expect(errorOf(m)).toContain(
        'spec.evaluation.metrics[2].name "ndcg_at_10" is declared twice: spec.evaluation.metrics[0] declares it too',
      );
    });
  });
});

describe('spec.access.questions', () => {
  const withQuestions = (questions: unknown) =>
    mutate(m => (m.spec.access = { policy: 'approval', questions }));

  it('accepts text, select and checkbox questions', () => {
    const questions = [
      { id: 'useCase', label: 'Use case', type: 'text', required: true },
      { id: 'region', label: 'Region', type: 'select', options: ['eu', 'us'] },
      {
        id: 'accept',
        label: 'I accept the licence',
        type: 'checkbox',
        required: true,
      },
    ];
    const model = validateModelEntity(withQuestions(questions));
    expect(model && model.spec.access?.questions).toEqual(questions);
  });

  it.each([
    [[{ id: 'a', label: 'A' }], 'spec.access.questions[0].type is required'],
    [
      [{ id: 'a', label: 'A', type: 'radio' }],
      'spec.access.questions[0].type must be equal to one of the allowed values: text, select, checkbox',
    ],
    [
      [{ id: '1a', label: 'A', type: 'text' }],
      'spec.access.questions[0].id must match pattern',
    ],
    [
      [{ id: 'a', label: 'A', type: 'text', colour: 'red' }],
      'spec.access.questions[0].colour is not a known field',
    ],
    [
      [
        { id: 'a', label: 'A', type: 'text' },
        { id: 'a', label: 'B', type: 'checkbox' },
      ],
      'spec.access.questions[1].id "a" is not unique: spec.access.questions[0] has the same id',
    ],
    [
      [{ id: 'r', label: 'R', type: 'select' }],
      'spec.access.questions[0].options must list at least one value when spec.access.questions[0].type is "select"',
    ],
    [
      [{ id: 'r', label: 'R', type: 'select', options: ['eu', 'eu'] }],
      'spec.access.questions[0].options[1] "eu" is listed twice',
    ],
    [
      [{ id: 'c', label: 'C', type: 'checkbox', options: ['x'] }],
      'spec.access.questions[0].options is only allowed when spec.access.questions[0].type is "select"',
    ],
  ])('rejects %j naming the field', (questions, message) => {
    expect(errorOf(withQuestions(questions))).toContain(message);
  });
});
