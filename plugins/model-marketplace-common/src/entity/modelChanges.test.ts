import { Entity } from '@backstage/catalog-model';
import { modelChangeKey, modelFingerprint } from './modelChanges';

const emitted: Entity = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'Whisper-Large-V3',
    namespace: 'Speech',
    title: 'Whisper large v3',
    tags: ['asr', 'multilingual'],
    annotations: { 'aic.dev/model-card': './cards/whisper.md' },
  },
  spec: {
    type: 'speech',
    owner: 'group:default/team-speech',
    versions: [{ version: '3.0.0', artifact: 'hf://openai/whisper-large-v3' }],
  },
};

describe('modelFingerprint', () => {
  it('is a 16-digit hex hash, the same for the emitted and the stitched entity', () => {
    const fingerprint = modelFingerprint(emitted);
    expect(fingerprint).toMatch(/^[0-9a-f]{16}$/);

    // the catalog serves the entity with its own uid, etag, generation,
    // relations and status, and with keys in another order
    const stitched: Entity = {
      relations: [{ type: 'ownedBy', targetRef: 'group:default/team-speech' }],
      spec: {
        versions: [
          { artifact: 'hf://openai/whisper-large-v3', version: '3.0.0' },
        ],
        owner: 'group:default/team-speech',
        type: 'speech',
      },
      metadata: {
        annotations: { 'aic.dev/model-card': './cards/whisper.md' },
        tags: ['asr', 'multilingual'],
        title: 'Whisper large v3',
        namespace: 'Speech',
        name: 'Whisper-Large-V3',
        uid: '4b1c1f1e-8a55-4d8c-9b7e-0c3e8f0d2a11',
        etag: 'ZjQ1NmM3',
        generation: 3,
        description: undefined,
      },
      kind: 'Model',
      apiVersion: 'aic.dev/v1alpha1',
    };
    expect(modelFingerprint(stitched)).toBe(fingerprint);
  });

  it('changes with anything the model says about itself', () => {
    const base = modelFingerprint(emitted);
    const variants: Entity[] = [
      { ...emitted, spec: { ...emitted.spec, type: 'llm' } },
      { ...emitted, metadata: { ...emitted.metadata, title: 'Whisper' } },
      // order inside arrays is meaningful
      {
        ...emitted,
        metadata: { ...emitted.metadata, tags: ['multilingual', 'asr'] },
      },
      { ...emitted, apiVersion: 'aic.dev/v1alpha2' },
      { ...emitted, spec: undefined },
      { ...emitted, spec: { ...emitted.spec, parameters: null } },
    ];
    const fingerprints = variants.map(modelFingerprint);
    expect(fingerprints).not.toContain(base);
    expect(new Set(fingerprints).size).toBe(variants.length);
  });

  it('tells an absent spec from an empty one', () => {
    expect(modelFingerprint({ ...emitted, spec: undefined })).not.toBe(
      modelFingerprint({ ...emitted, spec: {} }),
    );
  });
});

describe('modelChangeKey', () => {
  it('is the lower-cased entity ref', () => {
    expect(modelChangeKey(emitted)).toBe('model:speech/whisper-large-v3');
    const { namespace: _ns, ...withoutNamespace } = emitted.metadata;
    expect(modelChangeKey({ ...emitted, metadata: withoutNamespace })).toBe(
      'model:default/whisper-large-v3',
    );
  });
});
