import { resolveModelCardUrl } from './resolveModelCardUrl';

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'm', annotations },
});

describe('resolveModelCardUrl', () => {
  it('resolves a relative card against a URL source location', () => {
    expect(
      resolveModelCardUrl(
        entity({
          'aic.dev/model-card': './cards/m.md',
          'backstage.io/source-location':
            'url:https://raw.example.com/acme/models/main/',
        }),
      ),
    ).toEqual({
      location: 'https://raw.example.com/acme/models/main/cards/m.md',
      type: 'url',
    });
  });

  it('keeps absolute URLs and resolves files next to the catalog file', () => {
    expect(
      resolveModelCardUrl(
        entity({ 'aic.dev/model-card': 'https://x/card.md' }),
      ),
    ).toEqual({ location: 'https://x/card.md', type: 'url' });
    expect(
      resolveModelCardUrl(
        entity({
          'aic.dev/model-card': './model-cards/m.md',
          'backstage.io/managed-by-location': 'file:/repo/examples/models.yaml',
        }),
      ),
    ).toEqual({ location: '/repo/examples/model-cards/m.md', type: 'file' });
    expect(resolveModelCardUrl(entity({}))).toBeUndefined();
  });
});
