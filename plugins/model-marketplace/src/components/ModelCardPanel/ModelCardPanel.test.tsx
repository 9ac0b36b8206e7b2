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

  it('links a card at a URL when the backend cannot show it', async () => {
    const getModelCard = jest.fn().mockRejectedValue(new Error('forbidden'));
    await renderInTestApp(
      <TestApiProvider
        apis={[[modelMarketplaceApiRef, { getModelCard } as any]]}
      >
        <ModelCardPanel
          entity={{
            ...entity,
            metadata: {
              ...entity.metadata,
              annotations: {
                'aic.dev/model-card': 'https://docs.example.com/whisper.md',
              },
            },
          }}
        />
      </TestApiProvider>,
    );
    const link = await screen.findByRole('link', {
      name: /Open the model card/,
    });
    expect(link).toHaveAttribute('href', 'https://docs.example.com/whisper.md');
    expect(screen.getByText(/it could not be shown here/)).toBeInTheDocument();
  });

  it('says a card is empty without a reason when the backend returns nothing', async () => {
    const getModelCard = jest.fn().mockResolvedValue('');
    await renderInTestApp(
      <TestApiProvider
        apis={[[modelMarketplaceApiRef, { getModelCard } as any]]}
      >
        <ModelCardPanel entity={entity} />
      </TestApiProvider>,
    );
    expect(await screen.findByTestId('model-card-body')).toHaveTextContent(
      /^The model card \.\/model-cards\/whisper-large-v3\.md could not be read\.$/,
    );
  });

  it('points to the documentation when the model has TechDocs but no card', async () => {
    const getModelCard = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[[modelMarketplaceApiRef, { getModelCard } as any]]}
      >
        <ModelCardPanel
          entity={{
            ...entity,
            metadata: {
              ...entity.metadata,
              annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
            },
          }}
          docsLink="/docs/default/model/whisper-large-v3"
        />
      </TestApiProvider>,
    );
    expect(screen.getByRole('link', { name: 'documentation' })).toHaveAttribute(
      'href',
      '/docs/default/model/whisper-large-v3',
    );
    expect(getModelCard).not.toHaveBeenCalled();
  });

  it('tells owners how to add a card when there is none', async () => {
    const getModelCard = jest.fn();
    await renderInTestApp(
      <TestApiProvider
        apis={[[modelMarketplaceApiRef, { getModelCard } as any]]}
      >
        <ModelCardPanel
          entity={{
            ...entity,
            metadata: { ...entity.metadata, annotations: {} },
          }}
        />
      </TestApiProvider>,
    );
    expect(screen.getByText(/No model card yet/)).toBeInTheDocument();
    expect(getModelCard).not.toHaveBeenCalled();
  });
});
