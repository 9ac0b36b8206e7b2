import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ModelCardPanel } from './ModelCardPanel';
import { modelMarketplaceApiRef } from '../../api/modelMarketplaceApiRef';

const entity = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'whisper-large-v3',
    namespace: 'default',
    annotations: {
      'aic.dev/model-card': './model-cards/whisper-large-v3.md',
      'backstage.io/managed-by-location': 'file:/srv/catalog/models.yaml',
    },
  },
  spec: {},
};

describe('ModelCardPanel', () => {
  it('renders the markdown the backend reads for the model', async () => {
    const getModelCard = jest
      .fn()
      .mockResolvedValue('# Whisper large v3\n\nTranscribes **calls**.');
    await renderInTestApp(
      <TestApiProvider
        apis={[[modelMarketplaceApiRef, { getModelCard } as any]]}
      >
        <ModelCardPanel entity={entity} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByRole('heading', { name: 'Whisper large v3' }),
    ).toBeInTheDocument();
    expect(screen.getByText('calls')).toBeInTheDocument();
    expect(getModelCard).toHaveBeenCalledWith('model:default/whisper-large-v3');
    // no inner scroll box: the card reads in the page's own scroll
    let node: HTMLElement | null = screen.getByText('calls');
    for (; node; node = node.parentElement) {
      expect(node.style.maxHeight).toBe('');
      expect(getComputedStyle(node).overflowY).not.toMatch(/auto|scroll/);
    }
  });

  it('names the card and the reason when it cannot be read', async () => {
    const getModelCard = jest
      .fn()
      .mockRejectedValue(new Error('The model card does not exist'));
    await renderInTestApp(
      <TestApiProvider
        apis={[[modelMarketplaceApiRef, { getModelCard } as any]]}
      >
        <ModelCardPanel entity={entity} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        /could not be read: The model card does not exist/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('./model-cards/whisper-large-v3.md'),
    ).toBeInTheDocument();
  });
});
