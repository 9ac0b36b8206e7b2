import { resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ModelCardReader } from './ModelCardReader';

const examples = resolve(__dirname, '../../../../examples');

function model(card: string | undefined, location: string) {
  return {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: {
      name: 'llama-3-1-8b-instruct',
      annotations: {
        'backstage.io/managed-by-location': location,
        ...(card ? { 'aic.dev/model-card': card } : {}),
      },
    },
  };
}

describe('ModelCardReader', () => {
  const urlReader = mockServices.urlReader.mock();
  const reader = new ModelCardReader(urlReader);

  it('reads a card next to the catalog file of a file location', async () => {
    const text = await reader.read(
      model(
        './model-cards/llama-3-1-8b-instruct.md',
        `file:${examples}/models.yaml`,
      ),
    );
    expect(text).toMatch(/^#/m);
    expect(text.length).toBeGreaterThan(100);
  });

  it('refuses a path outside the folder of the catalog file', async () => {
    await expect(
      reader.read(model('../package.json', `file:${examples}/models.yaml`)),
    ).rejects.toThrow('outside the folder');
  });

  it('refuses a file that is not markdown, and a missing file', async () => {
    await expect(
      reader.read(model('./org.yaml', `file:${examples}/models.yaml`)),
    ).rejects.toThrow('is not a markdown file');
    await expect(
      reader.read(model('./nope.md', `file:${examples}/models.yaml`)),
    ).rejects.toThrow('does not exist');
  });

  it('resolves a relative card against a url location through the UrlReader', async () => {
    urlReader.readUrl.mockResolvedValueOnce({
      buffer: async () => Buffer.from('# Card'),
    } as any);
    await expect(
      reader.read(
        model(
          './cards/x.md',
          'url:https://git.example.com/ml/models/blob/main/catalog-info.yaml',
        ),
      ),
    ).resolves.toBe('# Card');
    expect(urlReader.readUrl).toHaveBeenCalledWith(
      'https://git.example.com/ml/models/blob/main/cards/x.md',
    );
  });

  it('answers not found without the annotation', async () => {
    await expect(
      reader.read(model(undefined, `file:${examples}/models.yaml`)),
    ).rejects.toThrow('has no aic.dev/model-card annotation');
  });
  it('serves a data:text/markdown card, as the Kubeflow importer writes it', async () => {
    const markdown = '# Granite\n\nÜber 8B parameters.\n';
    const base64 = `data:text/markdown;charset=utf-8;base64,${Buffer.from(
      markdown,
    ).toString('base64')}`;
    await expect(
      reader.read(model(base64, 'url:https://example.com/catalog.yaml')),
    ).resolves.toBe(markdown);
    await expect(
      reader.read(
        model(
          `data:text/markdown,${encodeURIComponent(markdown)}`,
          `file:${examples}/models.yaml`,
        ),
      ),
    ).resolves.toBe(markdown);
    await expect(
      reader.read(model('data:text/html,<script>', `file:${examples}/x.yaml`)),
    ).rejects.toThrow('not text/markdown');
    const big = `data:text/markdown;base64,${Buffer.alloc(
      600 * 1024,
      'a',
    ).toString('base64')}`;
    await expect(
      reader.read(model(big, `file:${examples}/models.yaml`)),
    ).rejects.toThrow('larger than 512 KiB');
  });

  it('leaves the YAML front matter of a Hugging Face model card out', async () => {
    const text = await reader.read(
      model(
        './README.md',
        `file:${examples}/hf-model-cards/support-summarizer-8b/README.md`,
      ),
    );
    expect(text).not.toMatch(/^---/);
    expect(text).not.toContain('library_name:');
    expect(text).toMatch(/^# /m);
  });
});
