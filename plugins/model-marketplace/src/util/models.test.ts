import {
  defaultVersion,
  formatReplicas,
  formatResources,
  metricNames,
} from './models';

describe('model helpers', () => {
  it('picks the default version, else the first one', () => {
    const a = { version: '1', artifact: 'hf://a' };
    const b = { version: '2', artifact: 'hf://b', default: true };
    expect(defaultVersion([a, b])).toBe(b);
    expect(defaultVersion([a, { ...b, default: false }])).toBe(a);
    expect(defaultVersion([])).toBeUndefined();
    expect(defaultVersion(undefined)).toBeUndefined();
  });

  it('lists metric names once, in first-seen order', () => {
    expect(
      metricNames([
        { version: '1', artifact: 'a', metrics: { b: 1, a: 2 } },
        { version: '2', artifact: 'a' },
        { version: '3', artifact: 'a', metrics: { c: 1, a: 3 } },
      ]),
    ).toEqual(['b', 'a', 'c']);
  });

  it.each([
    [undefined, '—'],
    [{}, '—'],
    [{ cpu: 0 }, '0 CPU'],
    [{ memory: '32Gi' }, '32Gi'],
    [{ cpu: 4, memory: '32Gi', gpu: 1 }, '4 CPU · 32Gi · 1 GPU'],
    [{ cpu: 2, gpu: 0 }, '2 CPU'],
  ])('formats the resources %j as %s', (resources, text) => {
    expect(formatResources(resources as any)).toBe(text);
  });

  it.each([
    [undefined, '—'],
    [{}, '1'],
    [{ min: 2 }, '2'],
    [{ max: 3 }, '1–3'],
    [{ min: 2, max: 2 }, '2'],
    [{ min: 1, max: 4 }, '1–4'],
  ])('formats the replicas %j as %s', (replicas, text) => {
    expect(formatReplicas(replicas)).toBe(text);
  });
});
