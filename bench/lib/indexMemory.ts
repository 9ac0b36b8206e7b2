/*
 * The marketplace index's own memory: builds a ModelIndex in this process
 * from N entities shaped as the catalog serves them (uid, etag, the
 * annotations and relations the catalog adds), lets the entity list go, and
 * reports how much heap the index keeps, measured between two full garbage
 * collections (node --expose-gc, which bench/index.ts passes).
 */
import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  ModelIndex,
  ModelIndexCatalog,
} from '../../plugins/model-marketplace-backend/src/index/ModelIndex';
import { GeneratedEntity } from './generatedModels';

function asServed(e: GeneratedEntity, i: number, file: string): Entity {
  const ref = `model:default/${e.metadata.name}`;
  const owner = `group:default/${e.spec.owner}`;
  return {
    ...e,
    metadata: {
      ...e.metadata,
      namespace: 'default',
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      etag: `${i.toString(16).padStart(40, '0')}`,
      annotations: {
        'backstage.io/managed-by-location': `file:${file}`,
        'backstage.io/managed-by-origin-location': `file:${file}`,
        'backstage.io/view-url': `file:${file}`,
        'backstage.io/kubernetes-label-selector': `aic.dev/model=${e.metadata.name}`,
      },
    },
    relations: [
      { type: 'ownedBy', targetRef: owner },
      { type: 'dependencyOf', targetRef: ref },
    ],
  };
}

/**
 * The three catalog calls the index makes, over an array, in one page (the
 * catalog's paging is not what is measured here). Entities are copied on
 * the way out, as the catalog's JSON responses are.
 */
export function arrayCatalog(
  entities: () => Entity[],
): ModelIndexCatalog & { release(): void } {
  let indexed: { of: Entity[]; byRef: Map<string, Entity> } | undefined;
  const byRef = () => {
    const list = entities();
    if (indexed?.of !== list) {
      indexed = {
        of: list,
        byRef: new Map(list.map(e => [stringifyEntityRef(e), e])),
      };
    }
    return indexed.byRef;
  };
  return {
    release() {
      indexed = undefined;
    },
    async queryEntities() {
      const items = entities().map(e => ({
        apiVersion: e.apiVersion,
        kind: e.kind,
        metadata: {
          name: e.metadata.name,
          namespace: e.metadata.namespace,
          uid: e.metadata.uid,
          etag: e.metadata.etag,
        },
      }));
      return { items, totalItems: items.length, pageInfo: {} };
    },
    async getEntitiesByRefs({ entityRefs }) {
      const map = byRef();
      return {
        items: entityRefs.map(ref => {
          const e = map.get(ref);
          return e ? structuredClone(e) : undefined;
        }),
      };
    },
    async getEntityFacets({ facets }) {
      if (facets.join() !== 'metadata.uid') {
        throw new Error(`only the metadata.uid facet is served here`);
      }
      return {
        facets: {
          'metadata.uid': entities().map(e => ({
            value: e.metadata.uid!,
            count: 1,
          })),
        },
      };
    },
  };
}

const silent = {
  error() {},
  warn() {},
  info() {},
  debug() {},
  child() {
    return silent;
  },
};

/** Enough of the auth service for the index: its own credentials. */
const selfAuth = {
  async getOwnServiceCredentials() {
    return {
      $$type: '@backstage/BackstageCredentials' as const,
      principal: { type: 'service' as const, subject: 'bench' },
    };
  },
};

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) {
    throw new Error('run with node --expose-gc (bench/index.ts does)');
  }
  collect();
  collect();
};

/** Heap the index keeps for these models, in bytes, and the time its build took. */
export async function measureIndexMemory(
  models: GeneratedEntity[],
): Promise<{ bytes: number; buildMs: number }> {
  const { bytes, buildMs } = await buildIndex(models);
  return { bytes, buildMs };
}

/**
 * Builds the index from these models as the catalog serves them, and
 * measures the heap it keeps and the time its build took.
 */
export async function buildIndex(
  models: GeneratedEntity[],
): Promise<{ index: ModelIndex; bytes: number; buildMs: number }> {
  gc();
  const before = process.memoryUsage().heapUsed;
  let entities: Entity[] | undefined = models.map((m, i) =>
    asServed(m, i, '/bench/models.yaml'),
  );
  const catalog = arrayCatalog(() => entities ?? []);
  const index = new ModelIndex({
    catalog,
    auth: selfAuth,
    logger: silent,
  });
  const started = performance.now();
  await index.refresh();
  const buildMs = performance.now() - started;
  entities = undefined;
  catalog.release();
  gc();
  const bytes = process.memoryUsage().heapUsed - before;
  if (index.size !== models.length) {
    throw new Error(`the index holds ${index.size} of ${models.length} models`);
  }
  return { index, bytes, buildMs };
}
