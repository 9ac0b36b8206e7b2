import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { IndexedModel, ModelIndex } from '../index/ModelIndex';
import { CatalogReadConditions } from '../permissions/catalogReadConditions';
import type { CatalogReadDecisions } from '../permissions/CatalogReadDecisions';

/**
 * Which indexed models a caller may see: exactly those the catalog lets
 * them read, by the catalog's read permission and its own rules.
 */
export class ModelVisibility {
  private readonly conditions: CatalogReadConditions;

  constructor(
    private readonly index: ModelIndex,
    private readonly decisions: CatalogReadDecisions,
    logger?: LoggerService,
  ) {
    this.conditions = new CatalogReadConditions(logger);
  }

  /** A filter for the models `credentials` may read. */
  async filterFor(
    credentials: BackstageCredentials,
  ): Promise<(model: IndexedModel) => boolean> {
    const decision = await this.decisions.decisionFor(credentials);
    if (decision.result === AuthorizeResult.ALLOW) {
      return () => true;
    }
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      const criteria = decision.conditions;
      return model => this.conditions.allows(model.entity, criteria);
    }
    return () => false;
  }

  /** Every indexed model `credentials` may read, once the index is built. */
  async visibleModels(
    credentials: BackstageCredentials,
  ): Promise<IndexedModel[]> {
    await this.index.whenReady();
    return this.index.all().filter(await this.filterFor(credentials));
  }

  /** The model `ref`, or 404 when it is unknown or hidden from the caller. */
  async find(
    credentials: BackstageCredentials,
    ref: string,
  ): Promise<IndexedModel> {
    await this.index.whenReady();
    const model = this.index.get(ref);
    if (!model || !(await this.filterFor(credentials))(model)) {
      throw new NotFoundError(`No model ${ref}`);
    }
    return model;
  }
}
