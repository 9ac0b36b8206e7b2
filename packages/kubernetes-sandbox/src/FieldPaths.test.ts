import {
  deepMerge,
  deleteAt,
  fromFieldsV1,
  getAt,
  jsonEqual,
  mergePatch,
  ownableLeafPaths,
  pathString,
  toFieldsV1,
} from './FieldPaths';

describe('FieldPaths', () => {
  const deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: { app: 'web' },
      finalizers: ['x'],
      resourceVersion: '7',
    },
    spec: { replicas: 2, selector: {}, template: { args: ['a', 'b'] } },
    status: { readyReplicas: 1 },
  };

  it('lists the ownable leaves: lists and empty maps are leaves, server fields are not', () => {
    expect(ownableLeafPaths(deployment).map(pathString)).toEqual([
      '.metadata.labels.app',
      '.metadata.finalizers',
      '.spec.replicas',
      '.spec.selector',
      '.spec.template.args',
    ]);
    expect(ownableLeafPaths(deployment, true).map(pathString)).toContain(
      '.status.readyReplicas',
    );
    expect(ownableLeafPaths(undefined)).toEqual([]);
    expect(ownableLeafPaths({ metadata: 'odd' })).toEqual([]);
  });

  it('reads a value at a path, undefined past a leaf', () => {
    expect(getAt(deployment, ['spec', 'replicas'])).toBe(2);
    expect(getAt(deployment, ['spec', 'replicas', 'x'])).toBeUndefined();
    expect(getAt(deployment, ['nope', 'x'])).toBeUndefined();
  });

  it('deletes a value and the maps it leaves empty, never the top-level field', () => {
    const obj = { spec: { a: { b: { c: 1 } }, keep: 1 } };
    deleteAt(obj, ['spec', 'a', 'b', 'c']);
    expect(obj).toEqual({ spec: { keep: 1 } });

    const only = { spec: { a: { b: 1 } } };
    deleteAt(only, ['spec', 'a', 'b']);
    expect(only).toEqual({ spec: {} });

    const siblings = { spec: { a: { b: 1, c: 2 } } };
    deleteAt(siblings, ['spec', 'a', 'b']);
    expect(siblings).toEqual({ spec: { a: { c: 2 } } });

    // a path through a non-map changes nothing
    const list = { spec: { a: [1] } };
    deleteAt(list, ['spec', 'a', 'b']);
    expect(list).toEqual({ spec: { a: [1] } });
  });

  it('compares JSON values deeply', () => {
    expect(jsonEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
    expect(jsonEqual([1, 2], [1, 2, 3])).toBe(false);
    expect(jsonEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual({ a: 1 }, [1])).toBe(false);
    expect(jsonEqual(null, {})).toBe(false);
  });

  it('merges maps and replaces everything else, with copies', () => {
    const list = [1];
    const target: any = { a: { x: 1 }, b: [0], c: 1 };
    deepMerge(target, { a: { y: 2 }, b: list, c: { z: 3 } });
    expect(target).toEqual({ a: { x: 1, y: 2 }, b: [1], c: { z: 3 } });
    expect(target.b).not.toBe(list);
    expect(deepMerge({ a: 1 }, undefined)).toEqual({ a: 1 });
  });

  it('applies JSON merge patches: null deletes, maps merge or are created', () => {
    const target: any = { a: { x: 1, y: 2 }, b: 'scalar', c: 1 };
    mergePatch(target, { a: { y: null }, b: { n: 1 }, c: null, d: [1] });
    expect(target).toEqual({ a: { x: 1 }, b: { n: 1 }, d: [1] });
    expect(mergePatch({ a: 1 }, null)).toEqual({ a: 1 });
  });

  it('converts leaf paths to FieldsV1 and back', () => {
    const paths = [
      ['spec', 'replicas'],
      ['spec', 'template', 'args'],
      ['metadata', 'labels', 'app'],
    ];
    const fields = toFieldsV1(paths);
    expect(fields).toEqual({
      'f:spec': { 'f:replicas': {}, 'f:template': { 'f:args': {} } },
      'f:metadata': { 'f:labels': { 'f:app': {} } },
    });
    expect(fromFieldsV1(fields)).toEqual(paths);
    // keys that are not fields (`.`, `k:`) and non-maps are no paths
    expect(fromFieldsV1({ '.': {}, 'f:a': { '.': {} } })).toEqual([['a']]);
    expect(fromFieldsV1(undefined)).toEqual([]);
  });
});
