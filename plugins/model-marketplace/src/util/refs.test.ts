import { compoundRef, fullRef, shortRef } from './refs';

describe('shortRef', () => {
  it('drops the kind and the default namespace', () => {
    expect(shortRef('group:default/team-search')).toBe('team-search');
    expect(shortRef('team-search')).toBe('team-search');
  });

  it('keeps a namespace other than default', () => {
    expect(shortRef('group:research/team-vision')).toBe('research/team-vision');
  });

  it('returns what it cannot parse unchanged', () => {
    expect(shortRef('group:')).toBe('group:');
  });
});

describe('fullRef', () => {
  it('fills in the kind and namespace, in lower case', () => {
    expect(fullRef('Team-Search', 'Group')).toBe('group:default/team-search');
    expect(fullRef('user:Research/Mia', 'group')).toBe('user:research/mia');
  });
});

describe('compoundRef', () => {
  it('parses a shorthand ref with the given kind', () => {
    expect(compoundRef('ml-platform', 'group')).toEqual({
      kind: 'group',
      namespace: 'default',
      name: 'ml-platform',
    });
  });
});
