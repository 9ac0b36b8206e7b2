import {
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
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

  describe('with symbolic links', () => {
    let root: string;
    let models: string;
    beforeAll(() => {
      root = mkdtempSync(join(tmpdir(), 'model-card-'));
      models = join(root, 'models');
      mkdirSync(join(models, 'cards'), { recursive: true });
      mkdirSync(join(root, 'private'));
      writeFileSync(join(models, 'catalog-info.yaml'), 'kind: Model\n');
      writeFileSync(join(models, 'cards', 'real.md'), '# Real card\n');
      writeFileSync(join(root, 'private', 'secret.md'), '# Secret\n');
      writeFileSync(join(root, 'private', 'passwd'), 'root:x:0:0\n');
      // a card that is a link out of the folder
      symlinkSync(join(root, 'private', 'secret.md'), join(models, 'out.md'));
      // a relative link out of the folder
      symlinkSync('../private/secret.md', join(models, 'relative.md'));
      // a folder inside that is a link to a folder outside
      symlinkSync(join(root, 'private'), join(models, 'linked'));
      // a markdown name that links to a non-markdown file outside
      symlinkSync(join(root, 'private', 'passwd'), join(models, 'passwd.md'));
      // a link that stays inside the folder
      symlinkSync(join('cards', 'real.md'), join(models, 'inside.md'));
    });
    afterAll(() => rmSync(root, { recursive: true, force: true }));

    const at = (card: string) =>
      reader.read(model(card, `file:${models}/catalog-info.yaml`));

    it('refuses links that lead out of the folder', async () => {
      for (const card of [
        './out.md',
        './relative.md',
        './linked/secret.md',
        './passwd.md',
      ]) {
        await expect(at(card)).rejects.toThrow(
          `The model card "${card}" lies outside the folder`,
        );
      }
    });

    it('follows links that stay inside the folder', async () => {
      await expect(at('./inside.md')).resolves.toBe('# Real card\n');
      await expect(at('cards/real.md')).resolves.toBe('# Real card\n');
    });

    it('refuses a catalog folder reached through a link when the card leaves it', async () => {
      const linkedRoot = join(root, 'linked-models');
      symlinkSync(models, linkedRoot);
      await expect(
        reader.read(
          model('./inside.md', `file:${linkedRoot}/catalog-info.yaml`),
        ),
      ).resolves.toBe('# Real card\n');
      await expect(
        reader.read(model('./out.md', `file:${linkedRoot}/catalog-info.yaml`)),
      ).rejects.toThrow('outside the folder');
    });
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
