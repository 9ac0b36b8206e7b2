import type { Entity } from '@backstage/catalog-model';
import {
  coreExtensionData,
  type ExtensionDataRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { isModelEntity } from '@aic/plugin-model-marketplace-common';

/** The marketplace's "Model" content (`entity-content:model-marketplace/model`). */
export const MODEL_CONTENT_ID = 'entity-content:model-marketplace/model';
/**
 * The path of the generic Overview on Model entities. The leading slash
 * matters: the catalog keys ungrouped tabs by their path, and a bare
 * `overview` would merge the tab into the group of that id.
 */
export const MODEL_OVERVIEW_PATH = '/overview';

type Filter = (entity: Entity) => boolean;

/** One attached entity content, as the catalog's entity page reads it. */
export interface ContentInput {
  node: { spec: { id: string } };
  get: (ref: ExtensionDataRef<any, any, any>) => unknown;
  [Symbol.iterator](): Iterator<unknown>;
}

const { routePath } = coreExtensionData;
const { filterFunction, filterExpression, group } =
  EntityContentBlueprint.dataRefs;

/** The same content with some of its data replaced (`undefined` drops it). */
function rewritten<T extends ContentInput>(
  item: T,
  data: { path: string; filter: Filter; group: string | undefined },
): T {
  const replaced = new Map<string, unknown>([
    [routePath.id, data.path],
    [filterFunction.id, data.filter],
    [group.id, data.group],
  ]);
  return {
    ...item,
    node: item.node,
    get: (ref: ExtensionDataRef<any, any, any>) =>
      replaced.has(ref.id) ? replaced.get(ref.id) : item.get(ref),
    *[Symbol.iterator]() {
      for (const value of item) {
        const id = (value as { id?: string }).id;
        if (!id || !replaced.has(id)) yield value;
      }
      for (const [id, value] of replaced) {
        if (value !== undefined) {
          yield { $$type: '@backstage/ExtensionDataValue', id, value };
        }
      }
    },
  };
}

function filterOf(item: ContentInput): Filter | undefined {
  return item.get(filterFunction) as Filter | undefined;
}

/**
 * Reorders the entity contents so that a Model entity opens on the Model
 * content. On Model entities the Model content takes the entity's root
 * path (`/`) and the first tab (the "overview" group), and the generic
 * Overview moves to `overview`, after the grouped tabs. Every other kind
 * keeps the Overview at `/`. Without the Model content, or when the Overview
 * is filtered by an expression (which cannot be combined with a function),
 * the contents are returned unchanged.
 */
export function modelFirstContents<T extends ContentInput>(contents: T[]): T[] {
  const model = contents.find(c => c.node.spec.id === MODEL_CONTENT_ID);
  const overview = contents.find(c => c.get(routePath) === '/');
  if (!model || !overview || overview.get(filterExpression)) {
    return contents;
  }
  const onModel = filterOf(model) ?? isModelEntity;
  const onOverview = filterOf(overview) ?? (() => true);
  const overviewGroup = overview.get(group) as string | undefined;
  const result: T[] = [
    rewritten(model, {
      path: '/',
      filter: e => isModelEntity(e) && onModel(e),
      group: overviewGroup,
    }),
  ];
  for (const item of contents) {
    if (item === overview) {
      result.push(
        rewritten(item, {
          path: '/',
          filter: e => !isModelEntity(e) && onOverview(e),
          group: overviewGroup,
        }),
        rewritten(item, {
          path: MODEL_OVERVIEW_PATH,
          filter: e => isModelEntity(e) && onOverview(e),
          group: undefined,
        }),
      );
    } else if (item !== model) {
      result.push(item);
    }
  }
  return result;
}
