import schema from './ModelEntityV1alpha1.schema.json';
import { ModelEntityV1alpha1 } from './ModelEntityV1alpha1';
import {
  DEFAULT_MODEL_ACCESS_POLICY,
  modelAccessPolicy,
} from './modelAccessPolicy';

const spec = (access?: ModelEntityV1alpha1['spec']['access']) => ({
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'ml-platform',
    versions: [{ version: '1', artifact: 'hf://a/b' }],
    ...(access ? { access } : {}),
  },
});

describe('modelAccessPolicy', () => {
  it('is approval when the model declares no access policy', () => {
    expect(DEFAULT_MODEL_ACCESS_POLICY).toBe('approval');
    expect(modelAccessPolicy(spec())).toBe('approval');
  });

  it('is the declared policy otherwise', () => {
    expect(modelAccessPolicy(spec({ policy: 'open' }))).toBe('open');
    expect(modelAccessPolicy(spec({ policy: 'restricted' }))).toBe(
      'restricted',
    );
  });

  it('is what the JSON schema documents for a missing spec.access', () => {
    const modelPart = (schema as any).allOf.find(
      (part: any) => part.properties?.spec?.properties?.access,
    );
    const access = modelPart.properties.spec.properties.access;
    expect(access.description).toContain(
      `Without spec.access the policy is '${DEFAULT_MODEL_ACCESS_POLICY}'`,
    );
    expect(access.properties.policy.description).toContain(
      `without spec.access is treated as ${DEFAULT_MODEL_ACCESS_POLICY}`,
    );
  });
});
