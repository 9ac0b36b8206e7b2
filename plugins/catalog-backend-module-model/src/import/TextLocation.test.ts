import { resolveTextLocation } from './TextLocation';

describe('resolveTextLocation', () => {
  const field = 'catalogs[id=a].properties.yamlCatalogPath';

  it('resolves against the folder of a file or a URL', () => {
    expect(
      resolveTextLocation(
        { type: 'file', target: '/srv/kf/sources.yaml' },
        'models/a.yaml',
        field,
      ),
    ).toEqual({ type: 'file', target: '/srv/kf/models/a.yaml' });
    expect(
      resolveTextLocation(
        {
          type: 'url',
          target: 'https://git.acme.internal/kf/raw/main/sources.yaml',
        },
        'a.yaml',
        field,
      ),
    ).toEqual({
      type: 'url',
      target: 'https://git.acme.internal/kf/raw/main/a.yaml',
    });
  });

  it('never leaves the sources folder on disk, and never turns a URL into a file', () => {
    expect(() =>
      resolveTextLocation(
        { type: 'file', target: '/srv/kf/sources.yaml' },
        '../../etc/passwd',
        field,
      ),
    ).toThrow(
      `${field} "../../etc/passwd" lies outside the folder of /srv/kf/sources.yaml`,
    );
    expect(() =>
      resolveTextLocation(
        { type: 'file', target: '/srv/kf/sources.yaml' },
        '/etc/passwd',
        field,
      ),
    ).toThrow('lies outside the folder');
    expect(() =>
      resolveTextLocation(
        { type: 'url', target: 'https://git.acme.internal/kf/sources.yaml' },
        'file:///etc/passwd',
        field,
      ),
    ).toThrow(
      'resolves to file: against https://git.acme.internal/kf/sources.yaml; only http(s) URLs are read',
    );
  });
});
