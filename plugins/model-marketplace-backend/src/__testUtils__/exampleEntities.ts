import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

const examples = resolvePackagePath(
  '@aic/plugin-model-marketplace-backend',
  '../../examples',
);

/**
 * The project's example org and models, as the catalog would serve them:
 * with a uid, an etag and the relations the catalog derives (memberOf for
 * users, ownedBy for models).
 */
export function loadExampleEntities(): Entity[] {
  const entities: Entity[] = [];
  for (const file of ['org.yaml', 'models.yaml']) {
    const text = readFileSync(resolve(examples, file), 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const entity = doc.toJS() as Entity | null;
      if (entity) {
        entities.push(withCatalogFields(entity));
      }
    }
  }
  return entities;
}

/** Adds the uid, etag and relations the catalog would add. */
export function withCatalogFields(entity: Entity, etag = '1'): Entity {
  const namespace = entity.metadata.namespace ?? 'default';
  const ref = stringifyEntityRef({
    ...entity,
    metadata: { ...entity.metadata, namespace },
  });
  const relations: Entity['relations'] = [];
  const spec = (entity.spec ?? {}) as Record<string, any>;
  const groupRef = (name: string) =>
    stringifyEntityRef(
      parseEntityRef(name, {
        defaultKind: 'group',
        defaultNamespace: namespace,
      }),
    );
  if (entity.kind === 'User') {
    for (const group of spec.memberOf ?? []) {
      relations.push({ type: 'memberOf', targetRef: groupRef(group) });
    }
  }
  if (typeof spec.owner === 'string') {
    relations.push({ type: 'ownedBy', targetRef: groupRef(spec.owner) });
  }
  return {
    ...entity,
    metadata: { ...entity.metadata, namespace, uid: `uid:${ref}`, etag },
    relations,
  };
}

/** A minimal Model entity as the catalog serves it, for index tests. */
export function testModel(
  name: string,
  metadata: Partial<Entity['metadata']> = {},
  etag = '1',
): Entity {
  return withCatalogFields(
    {
      apiVersion: 'aic.dev/v1alpha1',
      kind: 'Model',
      metadata: { name, tags: ['demo'], ...metadata },
      spec: {
        type: 'llm',
        lifecycle: 'production',
        owner: 'team-a',
        versions: [{ version: '1', artifact: 'hf://x/y' }],
      },
    },
    etag,
  );
}
