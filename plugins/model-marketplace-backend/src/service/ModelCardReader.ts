import { promises as fs } from 'node:fs';
import {
  dirname,
  extname,
  isAbsolute,
  relative,
  resolve,
  sep,
} from 'node:path';
import type { Entity } from '@backstage/catalog-model';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ANNOTATION_MODEL_CARD,
  splitFrontMatter,
} from '@aic/plugin-model-marketplace-common';
import { readMarkdownDataUrl } from './readMarkdownDataUrl';

const LOCATION_ANNOTATION = 'backstage.io/managed-by-location';
const MAX_CARD_BYTES = 512 * 1024;

/**
 * Reads a model card: the markdown file named by `aic.dev/model-card`,
 * resolved against the location the entity was read from. URLs go through
 * Backstage's UrlReader (and so its integrations and allow-lists); files of a
 * `file:` location are read from disk, only below that location's folder.
 * A `data:text/markdown` URL (an imported Kubeflow readme) is the card
 * itself. YAML front matter (a Hugging Face model card's metadata) is left
 * out of the markdown returned.
 */
export class ModelCardReader {
  constructor(private readonly urlReader: UrlReaderService) {}

  async read(entity: Entity): Promise<string> {
    return splitFrontMatter(await this.readRaw(entity)).body;
  }

  private async readRaw(entity: Entity): Promise<string> {
    const card = entity.metadata.annotations?.[ANNOTATION_MODEL_CARD];
    if (!card) {
      throw new NotFoundError(
        `Model ${entity.metadata.name} has no ${ANNOTATION_MODEL_CARD} annotation`,
      );
    }
    if (/^https?:\/\//.test(card)) {
      return this.readUrl(card);
    }
    if (/^data:/i.test(card)) {
      return readMarkdownDataUrl(card, MAX_CARD_BYTES);
    }
    const location = entity.metadata.annotations?.[LOCATION_ANNOTATION] ?? '';
    const separator = location.indexOf(':');
    const type = location.slice(0, separator);
    const target = location.slice(separator + 1);
    if (type === 'url') {
      return this.readUrl(new URL(card, target).toString());
    }
    if (type === 'file') {
      return this.readFile(target, card);
    }
    throw new InputError(
      `The model card "${card}" cannot be resolved: the model's location "${location}" is neither a url nor a file location`,
    );
  }

  private async readUrl(url: string): Promise<string> {
    const response = await this.urlReader.readUrl(url);
    const buffer = await response.buffer();
    if (buffer.length > MAX_CARD_BYTES) {
      throw new InputError(`The model card ${url} is larger than 512 KiB`);
    }
    return buffer.toString('utf8');
  }

  private async readFile(catalogFile: string, card: string): Promise<string> {
    const outside = () =>
      new InputError(
        `The model card "${card}" lies outside the folder of the model's catalog file`,
      );
    const folder = dirname(catalogFile);
    if (!isInside(folder, resolve(folder, card))) {
      throw outside();
    }
    const notMarkdown = () =>
      new InputError(`The model card "${card}" is not a markdown file`);
    if (!isMarkdown(card)) {
      throw notMarkdown();
    }
    // Compare real paths: a symbolic link inside the folder (the card or
    // any folder on its way) may point anywhere on the server.
    let realFolder: string;
    let realPath: string;
    try {
      realFolder = await fs.realpath(folder);
      realPath = await fs.realpath(resolve(folder, card));
    } catch {
      throw new NotFoundError(`The model card "${card}" does not exist`);
    }
    if (!isInside(realFolder, realPath)) {
      throw outside();
    }
    if (!isMarkdown(realPath)) {
      throw notMarkdown();
    }
    // Read through a handle of the checked path, so that what is read is
    // the file that was checked even if a link changes in between.
    const handle = await fs.open(realPath, 'r').catch(() => {
      throw new NotFoundError(`The model card "${card}" does not exist`);
    });
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        throw new InputError(`The model card "${card}" is not a file`);
      }
      if (stat.size > MAX_CARD_BYTES) {
        throw new InputError(`The model card "${card}" is larger than 512 KiB`);
      }
      return await handle.readFile('utf8');
    } finally {
      await handle.close();
    }
  }
}

function isMarkdown(path: string): boolean {
  return ['.md', '.markdown'].includes(extname(path).toLowerCase());
}

/** Whether `path` lies below `folder` (both absolute). */
function isInside(folder: string, path: string): boolean {
  const inside = relative(folder, path);
  return (
    inside !== '' &&
    inside !== '..' &&
    !inside.startsWith(`..${sep}`) &&
    !isAbsolute(inside)
  );
}
