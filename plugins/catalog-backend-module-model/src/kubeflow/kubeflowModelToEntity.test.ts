import { validateModelEntity } from '@aic/plugin-model-marketplace-common';
import { ModelNameFilter } from './ModelNameFilter';
import {
  kubeflowModelToEntity,
  lifecycleForMaturity,
  metricsOf,
} from './kubeflowModelToEntity';
import { parseKubeflowCatalog } from './parseKubeflowCatalog';

const source = {
  id: 'src',
  name: 'Source',
  labels: ['Red Hat AI', 'validated'],
  filter: new ModelNameFilter({ path: 'catalogs[0]' }),
  yamlCatalogPath: 'c.yaml',
};
const defaults = {
  owner: 'group:default/ml-platform',
  namespace: 'default',
  lifecycle: 'experimental',
};

function convert(yaml: string) {
  const [model] = parseKubeflowCatalog(yaml).models;
  const result = kubeflowModelToEntity({
    model,
    source,
    defaults,
    location: 'file:/c.yaml',
    originLocation: 'file:/sources.yaml',
  });
  if ('error' in result) {
    throw new Error(result.error);
  }
  return result;
}

describe('kubeflowModelToEntity', () => {
  it('makes a valid Model of a minimal model, versioned by its OCI tag', () => {
    const { entity } = convert(`
models:
  - name: Org/Some_Model.v2
    artifacts:
      - uri: oci://registry.acme.internal/models/some-model:2.0.1
`);
    expect(validateModelEntity(entity)).not.toBe(false);
    expect(entity.metadata).toMatchObject({
      name: 'some-model-v2',
      title: 'Org/Some_Model.v2',
      tags: ['red-hat-ai', 'validated'],
    });
    expect(entity.spec).toEqual({
      type: 'other',
      lifecycle: 'experimental',
      owner: 'group:default/ml-platform',
      versions: [
        {
          version: '2.0.1',
          artifact: 'oci://registry.acme.internal/models/some-model:2.0.1',
          default: true,
        },
      ],
    });
  });

  it('leaves validation to the catalog: a model without a model artifact fails it by field', () => {
    const { entity } = convert('models: [{name: org/no-weights}]');
    expect(() => validateModelEntity(entity)).toThrow(
      'spec.versions must NOT have fewer than 1 items',
    );
    const https = convert(
      'models: [{name: org/web, artifacts: [{uri: "https://files.acme.internal/w.bin"}]}]',
    ).entity;
    expect(() => validateModelEntity(https)).toThrow(
      'spec.versions[0].artifact has unsupported scheme "https://"',
    );
  });

  it('numbers versions without tags and leaves out an oversized readme with a warning', () => {
    const { entity, warnings } = convert(`
models:
  - name: org/big
    readme: "${'x'.repeat(300 * 1024)}"
    artifacts:
      - uri: s3://bucket/a/
        lastUpdateTimeSinceEpoch: "1000"
      - uri: s3://bucket/b/
        lastUpdateTimeSinceEpoch: "2000"
`);
    expect(
      (entity.spec as any).versions.map((v: any) => [v.version, v.default]),
    ).toEqual([
      ['1', undefined],
      ['2', true],
    ]);
    expect(entity.metadata.annotations?.['aic.dev/model-card']).toBeUndefined();
    expect(warnings).toEqual([
      'the readme of model "org/big" is larger than 256 KiB and is left out',
    ]);
  });

  it('versions by the version property, keeps valid property names as annotations and warns about the rest', () => {
    const { entity, warnings } = convert(`
models:
  - name: org/model
    customProperties:
      reviewed_by: { metadataType: MetadataStringValue, string_value: ml-platform }
      "bad key!": { metadataType: MetadataStringValue, string_value: x }
    artifacts:
      - uri: oci://registry.acme.internal/models/model:latest
        customProperties:
          version: { metadataType: MetadataStringValue, string_value: " 3.1 " }
`);
    expect((entity.spec?.versions as any)[0].version).toBe('3.1');
    expect(entity.metadata.annotations).toMatchObject({
      'kubeflow.aic.dev/reviewed_by': 'ml-platform',
    });
    expect(Object.keys(entity.metadata.annotations!)).not.toContain(
      'kubeflow.aic.dev/bad key!',
    );
    expect(warnings).toContain(
      'custom property "bad key!" of model "org/model" is not a valid annotation name and is left out',
    );
  });

  it('refuses a model whose name gives no entity name', () => {
    expect(() => convert('models: [{name: "/--/"}]')).toThrow(
      'model "/--/" has no name usable as an entity name',
    );
  });

  it('maps maturity to lifecycle', () => {
    expect(lifecycleForMaturity('Generally Available')).toBe('production');
    expect(lifecycleForMaturity('Technology Preview')).toBe('experimental');
    expect(lifecycleForMaturity('Deprecated')).toBe('deprecated');
    expect(lifecycleForMaturity('Tier 2')).toBeUndefined();
  });

  it('names metrics of several runs after their scenario, numbers exact repeats, and gives directions only where known', () => {
    const run = (props: Record<string, number | string>) => ({
      artifactType: 'metrics-artifact' as const,
      metricsType: 'performance-metrics',
      customProperties: props,
    });
    const { metrics, info } = metricsOf([
      run({
        hardware_type: 'H100',
        hardware_count: 1,
        ttft_p90: 80,
        mean_input_tokens: 512,
      }),
      run({ hardware_type: 'H100', hardware_count: 1, ttft_p90: 82 }),
      run({ hardware_type: 'A100', custom_score: 3 }),
    ]);
    expect(metrics).toEqual({
      'ttft_p90 [1xH100]': 80,
      'ttft_p90 [1xH100] #2': 82,
      'custom_score [A100]': 3,
    });
    expect(info).toEqual({
      'ttft_p90 [1xH100]': { direction: 'lower', unit: 'ms' },
      'ttft_p90 [1xH100] #2': { direction: 'lower', unit: 'ms' },
    });
    // custom_score is a name the importer does not know: no direction.
  });
});
