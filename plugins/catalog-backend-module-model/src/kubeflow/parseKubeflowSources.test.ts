import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseKubeflowSources } from './parseKubeflowSources';

const example = readFileSync(
  resolve(__dirname, '../../../../examples/kubeflow/sources.yaml'),
  'utf8',
);

describe('parseKubeflowSources', () => {
  it('reads the enabled yaml sources and says why it skips the others', () => {
    const { sources, skipped } = parseKubeflowSources(example);
    expect(
      sources.map(s => [s.id, s.name, s.labels, s.yamlCatalogPath]),
    ).toEqual([
      [
        'acme-validated',
        'ACME validated models',
        ['validated'],
        'validated-models.yaml',
      ],
      [
        'acme-labs',
        'ACME Labs community models',
        ['community'],
        'community-models.yaml',
      ],
    ]);
    expect(skipped).toEqual([
      { id: 'hf-mirror', reason: 'type "hf" is not read, only "yaml"' },
      { id: 'retired-2023', reason: 'disabled' },
    ]);
    const [validated, labs] = sources;
    expect(validated.filter.allows('ibm-granite/granite-3.1-8b-instruct')).toBe(
      true,
    );
    expect(
      validated.filter.allows(
        'ibm-granite/granite-3.1-8b-instruct-FP8-preview',
      ),
    ).toBe(false);
    expect(labs.filter.allows('acme-labs/sql-coder-7b')).toBe(true);
    expect(labs.filter.allows('someone-else/toy-chat-1b')).toBe(false);
  });

  it('takes the legacy properties.excludedModels into account', () => {
    const { sources } = parseKubeflowSources(`
catalogs:
  - id: a
    type: yaml
    properties:
      yamlCatalogPath: a.yaml
      excludedModels: ['org/old-*']
`);
    expect(sources[0].filter.allows('org/old-model')).toBe(false);
    expect(sources[0].filter.allows('org/new-model')).toBe(true);
  });

  it('reads model_catalogs first; an older catalogs entry with the same id loses', () => {
    const { sources, skipped } = parseKubeflowSources(`
model_catalogs:
  - id: shared
    type: yaml
    properties: {yamlCatalogPath: new.yaml}
catalogs:
  - id: shared
    type: yaml
    properties: {yamlCatalogPath: old.yaml}
  - id: legacy
    type: yaml
    properties: {yamlCatalogPath: legacy.yaml}
mcp_catalogs:
  - id: tools
    type: yaml
    properties: {yamlCatalogPath: mcp.yaml}
`);
    expect(sources.map(s => [s.id, s.yamlCatalogPath])).toEqual([
      ['shared', 'new.yaml'],
      ['legacy', 'legacy.yaml'],
    ]);
    expect(skipped).toEqual([
      { id: 'shared', reason: 'catalogs[0] is overridden by model_catalogs' },
    ]);
    expect(() =>
      parseKubeflowSources(
        'model_catalogs: [{id: a, type: hf}, {id: a, type: hf}]',
      ),
    ).toThrow(
      'model_catalogs[1].id "a" is not unique: model_catalogs[0] has the same id',
    );
  });

  it.each([
    ['catalogs: {}', 'catalogs must be a list, not a object'],
    ['other: 1', 'model_catalogs (or the older catalogs) is required'],
    ['catalogs: [{type: yaml}]', 'catalogs[0].id is required'],
    [
      'catalogs: [{id: a, type: yaml, properties: {yamlCatalogPath: a.yaml}}, {id: a, type: yaml}]',
      'catalogs[1].id "a" is not unique: catalogs[0] has the same id',
    ],
    [
      'catalogs: [{id: a, type: yaml, properties: {}}]',
      'catalogs[0].properties.yamlCatalogPath is required',
    ],
    [
      'catalogs: [{id: a, type: yaml, enabled: "yes", properties: {yamlCatalogPath: a.yaml}}]',
      'catalogs[0].enabled must be true or false, not a string',
    ],
    [
      'catalogs: [{id: a, type: yaml, includedModels: "x*", properties: {yamlCatalogPath: a.yaml}}]',
      'catalogs[0].includedModels must be a list of strings, not a string',
    ],
    [
      'catalogs: [{id: a, type: yaml, excludedModels: [" "], properties: {yamlCatalogPath: a.yaml}}]',
      'catalogs[0].excludedModels[0] must not be empty',
    ],
    ['catalogs: [ {id: a', 'not valid YAML'],
  ])('refuses %s naming the field', (text, message) => {
    expect(() => parseKubeflowSources(text)).toThrow(message);
  });
});
