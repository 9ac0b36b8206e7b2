import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import { mockServices } from '@backstage/backend-test-utils';
import { ModelCardReader } from './ModelCardReader';

/*
 * The limits of a model card: size (files and URLs, through Backstage's
 * real UrlReader on a local server), a folder named like a card, absolute
 * card URLs, and locations that are neither url nor file.
 */

function model(card: string, location: string) {
  return {
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: {
      name: 'm',
      annotations: {
        'backstage.io/managed-by-location': location,
        'aic.dev/model-card': card,
      },
    },
  };
}

const BIG = 512 * 1024 + 1;

describe('ModelCardReader limits', () => {
  let dir: string;
  let server: Server;
  let base: string;
  let reader: ModelCardReader;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'model-card-limits-'));
    writeFileSync(join(dir, 'catalog-info.yaml'), '');
    writeFileSync(join(dir, 'big.md'), 'x'.repeat(BIG));
    mkdirSync(join(dir, 'folder.md'));
    server = createServer((req, res) => {
      if (req.url === '/big.md') {
        res.end('y'.repeat(BIG));
      } else {
        res.end('# Remote card');
      }
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const config = mockServices.rootConfig({
      data: {
        backend: {
          reading: { allow: [{ host: `127.0.0.1:${new URL(base).port}` }] },
        },
      },
    });
    reader = new ModelCardReader(
      UrlReaders.default({ config, logger: mockServices.logger.mock() }),
    );
  });

  afterAll(async () => {
    await new Promise(r => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  const fileLocation = () => `file:${join(dir, 'catalog-info.yaml')}`;

  it('refuses a card file larger than 512 KiB', async () => {
    await expect(
      reader.read(model('./big.md', fileLocation())),
    ).rejects.toThrow('The model card "./big.md" is larger than 512 KiB');
  });

  it('refuses a folder whose name looks like a card', async () => {
    await expect(
      reader.read(model('./folder.md', fileLocation())),
    ).rejects.toThrow('The model card "./folder.md" is not a file');
  });

  it('reads an absolute card URL whatever the location, and refuses a large one', async () => {
    await expect(
      reader.read(model(`${base}/card.md`, fileLocation())),
    ).resolves.toBe('# Remote card');
    await expect(
      reader.read(model(`${base}/big.md`, fileLocation())),
    ).rejects.toThrow(`The model card ${base}/big.md is larger than 512 KiB`);
  });

  it('names a location it cannot resolve a relative card against', async () => {
    await expect(
      reader.read(model('./card.md', 'github-org:https://example.com/org')),
    ).rejects.toThrow(
      'The model card "./card.md" cannot be resolved: the model\'s location "github-org:https://example.com/org" is neither a url nor a file location',
    );
  });
});
