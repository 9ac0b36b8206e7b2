import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { PermissionCondition } from '@backstage/plugin-permission-common';
import { CatalogReadConditions } from './catalogReadConditions';

const entity: Entity = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'm', tags: ['meta'] },
  spec: { type: 'llm' },
  relations: [{ type: 'ownedBy', targetRef: 'group:default/team-search' }],
};

const cond = (
  rule: string,
  params: Record<string, string | string[]>,
): PermissionCondition<string> => ({
  rule,
  resourceType: 'catalog-entity',
  params,
});

describe('CatalogReadConditions', () => {
  it("applies the catalog's own rules", () => {
    const conditions = new CatalogReadConditions();
    expect(
      conditions.allows(
        entity,
        cond('IS_ENTITY_OWNER', { claims: ['group:default/team-search'] }),
      ),
    ).toBe(true);
    expect(
      conditions.allows(
        entity,
        cond('HAS_SPEC', { key: 'type', value: 'LLM' }),
      ),
    ).toBe(true);
    expect(
      conditions.allows(entity, {
        not: cond('HAS_METADATA', { key: 'tags', value: 'meta' }),
      }),
    ).toBe(false);
    expect(
      conditions.allows(entity, cond('IS_ENTITY_KIND', { kinds: ['api'] })),
    ).toBe(false);
  });

  it('treats an unknown rule as unknown, never as a grant, and says so', () => {
    const logger = mockServices.logger.mock();
    const conditions = new CatalogReadConditions(logger);
    const unknown = cond('SOME_CUSTOM_RULE', {});
    // not(unknown) does not grant
    expect(conditions.allows(entity, { not: unknown })).toBe(false);
    expect(conditions.allows(entity, unknown)).toBe(false);
    // a known match in anyOf still grants; a known mismatch in allOf denies
    expect(
      conditions.allows(entity, {
        anyOf: [unknown, cond('HAS_SPEC', { key: 'type', value: 'llm' })],
      }),
    ).toBe(true);
    expect(
      conditions.allows(entity, {
        not: {
          allOf: [unknown, cond('HAS_SPEC', { key: 'type', value: 'vision' })],
        },
      }),
    ).toBe(true);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('SOME_CUSTOM_RULE'),
    );
  });
});
