import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import {
  MODEL_CONTENT_ID,
  MODEL_OVERVIEW_PATH,
  modelFirstContents,
  type ContentInput,
} from './modelFirstContents';

type Value = { $$type: string; id: string; value: unknown };

/** An attached content as the entity page receives it: its data values. */
function content(id: string, values: Record<string, unknown>): ContentInput {
  const data: Value[] = Object.entries(values).map(([ref, value]) => ({
    $$type: '@backstage/ExtensionDataValue',
    id: ref,
    value,
  }));
  return {
    node: { spec: { id } },
    get: ref => data.find(d => d.id === ref.id)?.value,
    *[Symbol.iterator]() {
      yield* data;
    },
  };
}

const { routePath, reactElement } = coreExtensionData;
const { filterFunction, group, filterExpression } =
  EntityContentBlueprint.dataRefs;

describe('modelFirstContents', () => {
  it('hands on the rewritten data when the entity page iterates a content', () => {
    const overviewElement = 'the overview';
    const contents = [
      content('entity-content:catalog/overview', {
        [routePath.id]: '/',
        [reactElement.id]: overviewElement,
        [group.id]: 'overview',
      }),
      content(MODEL_CONTENT_ID, {
        [routePath.id]: 'model',
        [reactElement.id]: 'the model',
      }),
    ];
    const [model, overview, movedOverview] = modelFirstContents(contents);

    const modelData = new Map(
      [...model].map(v => [(v as Value).id, (v as Value).value]),
    );
    expect(modelData.get(routePath.id)).toBe('/');
    expect(modelData.get(reactElement.id)).toBe('the model');
    expect(modelData.get(group.id)).toBe('overview');
    expect(typeof modelData.get(filterFunction.id)).toBe('function');

    // The Overview at `/` stays for other kinds, in its group.
    const rootData = new Map(
      [...overview].map(v => [(v as Value).id, (v as Value).value]),
    );
    expect(rootData.get(routePath.id)).toBe('/');
    expect(rootData.get(group.id)).toBe('overview');
    expect(rootData.get(reactElement.id)).toBe(overviewElement);

    // The moved Overview leaves the group: no group value is yielded at all.
    const moved = [...movedOverview] as Value[];
    expect(moved.filter(v => v.id === routePath.id)).toEqual([
      expect.objectContaining({ value: MODEL_OVERVIEW_PATH }),
    ]);
    expect(moved.some(v => v.id === group.id)).toBe(false);
    expect(movedOverview.get(group)).toBeUndefined();
    expect(movedOverview.get(reactElement)).toBe(overviewElement);
  });

  it('leaves the contents alone when the Overview is filtered by an expression', () => {
    const contents = [
      content('entity-content:catalog/overview', {
        [routePath.id]: '/',
        [filterExpression.id]: 'kind:component',
      }),
      content(MODEL_CONTENT_ID, { [routePath.id]: 'model' }),
    ];
    expect(modelFirstContents(contents)).toBe(contents);
  });
});
