import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from './LabelSelector';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', 'aic.dev/team': 'team-a' };
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app in (web, api)', true],
    ['tier notin (front)', false],
    ['aic.dev/team', true],
    ['!aic.dev/team', false],
    ['missing!=x', true],
    ['app=web,tier in (back,front),!gone', true],
    ['', true],
  ])('%s matches: %s', (selector, expected) => {
    expect(matchesLabels(parseLabelSelector(selector), labels)).toBe(expected);
  });

  it('rejects garbage with a BadRequest', () => {
    expect(() => parseLabelSelector('a in b')).toThrow(/unable to parse/);
  });

  it('supports metadata.name and metadata.namespace field selectors', () => {
    const obj = { metadata: { name: 'x', namespace: 'ns' } };
    expect(matchesFields(parseFieldSelector('metadata.name=x'), obj)).toBe(
      true,
    );
    expect(
      matchesFields(parseFieldSelector('metadata.namespace!=ns'), obj),
    ).toBe(false);
    expect(() => parseFieldSelector('spec.x=1')).toThrow(/not supported/);
  });
});
