import { parseTeamNamespaces } from './teamNamespaces';

describe('parseTeamNamespaces', () => {
  it('reads comma-separated cluster/namespace entries, trimming blanks', () => {
    expect(parseTeamNamespaces(' a/x, b/y ,,d / e')).toEqual([
      { cluster: 'a', namespace: 'x' },
      { cluster: 'b', namespace: 'y' },
      { cluster: 'd', namespace: 'e' },
    ]);
  });

  it('grants nothing for an entry without a cluster', () => {
    expect(parseTeamNamespaces('a/b, c ,,d/e')).toEqual([
      { cluster: 'a', namespace: 'b' },
      { cluster: 'd', namespace: 'e' },
    ]);
    expect(parseTeamNamespaces('team-vision')).toEqual([]);
    expect(parseTeamNamespaces('/team-vision, sandbox/')).toEqual([]);
  });

  it('keeps a slash inside the namespace part as written', () => {
    // Kubernetes would refuse such a namespace; the guard then finds no match.
    expect(parseTeamNamespaces('c/a/b')).toEqual([
      { cluster: 'c', namespace: 'a/b' },
    ]);
  });

  it('reads a missing or empty annotation as no namespaces', () => {
    expect(parseTeamNamespaces(undefined)).toEqual([]);
    expect(parseTeamNamespaces('')).toEqual([]);
    expect(parseTeamNamespaces(' , ')).toEqual([]);
  });
});
