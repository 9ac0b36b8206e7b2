import {
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_HAS_PART,
  RELATION_OWNED_BY,
  RELATION_OWNER_OF,
  RELATION_PART_OF,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { ModelEntityProcessor } from './ModelEntityProcessor';

const location = {
  type: 'url',
  target: 'https://example.com/catalog-info.yaml',
};

function model(spec: Record<string, unknown>, annotations = {}) {
  return {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: {
      name: 'support-assistant-8b',
      namespace: 'default',
      annotations,
    },
    spec: {
      type: 'llm',
      lifecycle: 'production',
      owner: 'team-assistants',
      versions: [{ version: '1', artifact: 'hf://acme/support-assistant-8b' }],
      ...spec,
    },
  };
}

async function relationsOf(entity: any) {
  const emitted: CatalogProcessorResult[] = [];
  await new ModelEntityProcessor().postProcessEntity(entity, location, r =>
    emitted.push(r),
  );
  return emitted.map(r => {
    if (r.type !== 'relation') throw new Error(`unexpected ${r.type}`);
    const { source, type, target } = r.relation;
    return `${stringifyEntityRef(source)} ${type} ${stringifyEntityRef(
      target,
    )}`;
  });
}

describe('ModelEntityProcessor', () => {
  const processor = new ModelEntityProcessor();

  it('validates Models and leaves other kinds to other validators', async () => {
    await expect(processor.validateEntityKind(model({}))).resolves.toBe(true);
    await expect(
      processor.validateEntityKind({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x' },
        spec: {},
      }),
    ).resolves.toBe(false);
  });

  it('rejects a malformed Model with an error naming the field', async () => {
    await expect(
      processor.validateEntityKind(model({ owner: undefined })),
    ).rejects.toThrow('spec.owner is required');
    await expect(
      processor.validateEntityKind(
        model({
          versions: [
            { version: '1', artifact: 'hf://a/b', default: true },
            { version: '2', artifact: 'hf://a/c', default: true },
          ],
        }),
      ),
    ).rejects.toThrow('spec.versions[1].default');
  });

  it('emits every relation in both directions, resolving short refs', async () => {
    const relations = await relationsOf(
      model({
        system: 'genai-platform',
        baseModel: 'llama-3-1-8b-instruct',
        datasets: ['support-tickets-corpus', 'resource:ml/call-transcripts'],
      }),
    );
    const self = 'model:default/support-assistant-8b';
    expect(relations.sort()).toEqual(
      [
        `${self} ${RELATION_OWNED_BY} group:default/team-assistants`,
        `group:default/team-assistants ${RELATION_OWNER_OF} ${self}`,
        `${self} ${RELATION_PART_OF} system:default/genai-platform`,
        `system:default/genai-platform ${RELATION_HAS_PART} ${self}`,
        `${self} ${RELATION_DEPENDS_ON} model:default/llama-3-1-8b-instruct`,
        `model:default/llama-3-1-8b-instruct ${RELATION_DEPENDENCY_OF} ${self}`,
        `${self} ${RELATION_DEPENDS_ON} resource:default/support-tickets-corpus`,
        `resource:default/support-tickets-corpus ${RELATION_DEPENDENCY_OF} ${self}`,
        `${self} ${RELATION_DEPENDS_ON} resource:ml/call-transcripts`,
        `resource:ml/call-transcripts ${RELATION_DEPENDENCY_OF} ${self}`,
      ].sort(),
    );
  });

  it('keeps an explicit owner kind such as a user', async () => {
    const relations = await relationsOf(model({ owner: 'user:default/jane' }));
    expect(relations).toContain(
      'model:default/support-assistant-8b ownedBy user:default/jane',
    );
  });

  it('emits nothing for other kinds', async () => {
    const relations = await relationsOf({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: { owner: 'team-a' },
    });
    expect(relations).toEqual([]);
  });

  it('adds the default Kubernetes label selector when absent', async () => {
    const out = await processor.preProcessEntity(model({}));
    expect(out.metadata.annotations).toEqual({
      'backstage.io/kubernetes-label-selector':
        'aic.dev/model=support-assistant-8b',
    });
  });

  it('keeps a label selector the owner set', async () => {
    const out = await processor.preProcessEntity(
      model({}, { 'backstage.io/kubernetes-label-selector': 'app=custom' }),
    );
    expect(
      out.metadata.annotations?.['backstage.io/kubernetes-label-selector'],
    ).toBe('app=custom');
  });

  it('leaves other kinds unchanged before processing', async () => {
    const component = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'x' },
      spec: { owner: 'team-a' },
    };
    await expect(processor.preProcessEntity(component)).resolves.toBe(
      component,
    );
  });

  it('adds the label selector to a Model that has no annotations at all', async () => {
    const bare = model({});
    delete (bare.metadata as { annotations?: object }).annotations;
    const out = await processor.preProcessEntity(bare);
    expect(out.metadata.annotations).toEqual({
      'backstage.io/kubernetes-label-selector':
        'aic.dev/model=support-assistant-8b',
    });
  });

  it('lets a hand-written API without annotations claim no model', async () => {
    const relations = await relationsOf({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'API',
      metadata: { name: 'hand-written' },
      spec: {
        type: 'openapi',
        lifecycle: 'production',
        owner: 'team-a',
        definition: '{}',
      },
    });
    expect(relations).toEqual([]);
  });
});
