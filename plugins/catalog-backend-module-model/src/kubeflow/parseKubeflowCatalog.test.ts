import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseKubeflowCatalog } from './parseKubeflowCatalog';

const examples = resolve(__dirname, '../../../../examples/kubeflow');

describe('parseKubeflowCatalog', () => {
  it('reads the example catalog with its artifacts and typed custom properties', () => {
    const catalog = parseKubeflowCatalog(
      readFileSync(resolve(examples, 'validated-models.yaml'), 'utf8'),
    );
    expect(catalog.source).toBe('ACME validated models');
    expect(catalog.models.map(m => m.name)).toEqual([
      'ibm-granite/granite-3.1-8b-instruct',
      'ibm-granite/granite-3.1-8b-instruct-fp8-preview',
      'mistralai/Mistral-Small-24B-Instruct-2501',
      'ibm-granite/granite-embedding-278m-multilingual',
    ]);
    const granite = catalog.models[0];
    expect(granite.customProperties).toEqual({
      validated: '',
      'tool-calling': '',
      context_window: 131072,
      reviewed_by: 'ml-platform',
    });
    expect(granite.createTime?.toISOString()).toBe('2024-12-16T00:00:00.000Z');
    // An artifact without artifactType is a model artifact.
    expect(granite.artifacts.map(a => a.artifactType)).toEqual([
      'model-artifact',
      'model-artifact',
      'metrics-artifact',
      'metrics-artifact',
      'metrics-artifact',
      'metrics-artifact',
    ]);
  });

  it('reads times given as strings, every property type and unknown types as JSON', () => {
    const [model] = parseKubeflowCatalog(`
models:
  - name: a
    createTimeSinceEpoch: "1734307200000"
    lastUpdateTimeSinceEpoch: null
    customProperties:
      stars: { metadataType: MetadataIntValue, int_value: 12 }
      score: { metadataType: MetadataDoubleValue, double_value: "0.5" }
      gated: { metadataType: MetadataBoolValue, bool_value: false }
      card: { metadataType: MetadataStructValue, struct_value: { a: 1 } }
`).models;
    expect(model.createTime?.toISOString()).toBe('2024-12-16T00:00:00.000Z');
    expect(model.lastUpdateTime).toBeUndefined();
    expect(model.customProperties).toEqual({
      stars: 12,
      score: 0.5,
      gated: false,
      card: '{"metadataType":"MetadataStructValue","struct_value":{"a":1}}',
    });
  });

  it.each([
    ['', 'models is required'],
    ['models: [', 'not valid YAML'],
    ['source: x', 'models is required'],
    ['models: [{description: x}]', 'models[0].name is required'],
    [
      'models: [{name: a, tasks: text-generation}]',
      'models[0].tasks must be a list of strings',
    ],
    [
      'models: [{name: a, artifacts: [{artifactType: model-artifact}]}]',
      'models[0].artifacts[0].uri is required',
    ],
    [
      'models: [{name: a, artifacts: [{artifactType: dataset}]}]',
      'models[0].artifacts[0].artifactType "dataset" is not one of model-artifact, metrics-artifact',
    ],
    [
      'models: [{name: a, artifacts: [{artifactType: metrics-artifact}]}]',
      'models[0].artifacts[0].metricsType is required',
    ],
    [
      'models: [{name: a, createTimeSinceEpoch: "yesterday"}]',
      'models[0].createTimeSinceEpoch must be milliseconds since the epoch, not "yesterday"',
    ],
    [
      'models: [{name: a, customProperties: {n: {metadataType: MetadataIntValue, int_value: "1.5"}}}]',
      'models[0].customProperties.n.int_value must be an integer',
    ],
    [
      'models: [{name: a, customProperties: {n: {metadataType: MetadataDoubleValue, double_value: fast}}}]',
      'models[0].customProperties.n.double_value must be a number',
    ],
    [
      'models: [{name: a, customProperties: {n: {metadataType: MetadataStringValue, string_value: 3}}}]',
      'models[0].customProperties.n.string_value must be a string',
    ],
    [
      'models: [{name: a, customProperties: {n: {metadataType: MetadataBoolValue, bool_value: "yes"}}}]',
      'models[0].customProperties.n.bool_value must be true or false',
    ],
    [
      'models: [{name: a, customProperties: {n: {string_value: x}}}]',
      'models[0].customProperties.n.metadataType is required',
    ],
  ])('refuses %s naming the field', (text, message) => {
    expect(() => parseKubeflowCatalog(text)).toThrow(message);
  });
});
