import { basename, dirname } from 'node:path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  readTextLocation,
  TextLocation,
  textLocationOf,
} from '../import/TextLocation';
import { modelCardToEntity } from './modelCardToEntity';

/** The path part of a location target, without query or fragment. */
function pathOf(location: LocationSpec): string {
  if (location.type === 'url') {
    try {
      return decodeURIComponent(new URL(location.target).pathname);
    } catch {
      return location.target;
    }
  }
  return location.target;
}

/**
 * Reads `url` and `file` locations whose target is a markdown file
 * (`.md`, `.markdown`) as Hugging Face-style model cards: the YAML front
 * matter and its `aic` block become one Model entity, validated as the
 * catalog validates a hand-written Model. A card that cannot describe a
 * valid Model yields a processing error naming the front-matter field and no
 * entity, so the catalog keeps what the card last described correctly.
 *
 * It runs before the catalog's own URL and file readers (priority 10, theirs
 * is 20), which would otherwise try to parse the markdown as YAML.
 *
 * @public
 */
export class ModelCardProcessor implements CatalogProcessor {
  constructor(private readonly reader: UrlReaderService) {}

  getProcessorName(): string {
    return 'ModelCardProcessor';
  }

  getPriority(): number {
    return 10;
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
  ): Promise<boolean> {
    if (location.type !== 'url' && location.type !== 'file') {
      return false;
    }
    const path = pathOf(location);
    if (!/\.(md|markdown)$/i.test(path)) {
      return false;
    }
    const source: TextLocation =
      location.type === 'url'
        ? { type: 'url', target: location.target }
        : textLocationOf(location.target);

    let text: string;
    try {
      text = await readTextLocation(this.reader, source);
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') {
        if (!optional) {
          emit(
            processingResult.notFoundError(
              location,
              `Model card ${location.target} does not exist`,
            ),
          );
        }
      } else {
        emit(
          processingResult.generalError(
            location,
            `Model card ${location.target} could not be read: ${error}`,
          ),
        );
      }
      return true;
    }

    const fileName = basename(path);
    // A README.md is named after its folder, another card after its file.
    const fallbackName = /^readme\.(md|markdown)$/i.test(fileName)
      ? basename(dirname(path))
      : fileName.replace(/\.(md|markdown)$/i, '');
    try {
      const entity = modelCardToEntity(text, {
        fileName,
        fallbackName,
        baseUrl: location.type === 'url' ? location.target : undefined,
      });
      emit(processingResult.entity(location, entity));
      emit(processingResult.refresh(`${location.type}:${source.target}`));
    } catch (error) {
      emit(
        processingResult.inputError(
          location,
          `Invalid model card ${location.target}: ${
            isError(error) ? error.message : String(error)
          }`,
        ),
      );
    }
    return true;
  }
}
