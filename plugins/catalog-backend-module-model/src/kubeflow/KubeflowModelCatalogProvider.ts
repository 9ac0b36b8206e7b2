import type {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskRunner,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { readSchedulerServiceTaskScheduleDefinitionFromConfig } from '@backstage/backend-plugin-api';
import {
  Entity,
  KubernetesValidatorFunctions,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  readTextLocation,
  resolveTextLocation,
  stringifyTextLocation,
  TextLocation,
  textLocationOf,
} from '../import/TextLocation';
import {
  KubeflowEntityDefaults,
  kubeflowModelToEntity,
} from './kubeflowModelToEntity';
import { KubeflowCatalog, parseKubeflowCatalog } from './parseKubeflowCatalog';
import { parseKubeflowSources } from './parseKubeflowSources';

const CONFIG_ROOT = 'catalog.providers.kubeflowModelCatalog';

/** What one refresh found. @public */
export type KubeflowRefreshResult = {
  /** Entity refs of the models applied to the catalog. */
  entities: string[];
  /** Sources not read (disabled, or not of type yaml), with the reason. */
  skipped: Array<{ id: string; reason: string }>;
  /** Models left out, with the reason. */
  warnings: string[];
};

/**
 * An entity provider for a Kubeflow Model Catalog sources file: on each run
 * it reads the sources file and every enabled `yaml` catalog it names
 * (through the UrlReader for URLs, from disk for files), turns each model
 * that passes the source's include and exclude patterns into a Model entity,
 * and replaces everything it provided before with that set (a full
 * mutation), so models that leave the source leave the catalog.
 *
 * When any file cannot be read or parsed, the run fails with an error naming
 * the file and field and the catalog keeps the previous set: a broken or
 * unreachable source never empties the catalog.
 *
 * @public
 */
export class KubeflowModelCatalogProvider implements EntityProvider {
  private connection?: EntityProviderConnection;

  /** One provider per entry under `catalog.providers.kubeflowModelCatalog`. */
  static fromConfig(
    config: Config,
    deps: {
      logger: LoggerService;
      reader: UrlReaderService;
      scheduler: SchedulerService;
    },
  ): KubeflowModelCatalogProvider[] {
    const root = config.getOptionalConfig(CONFIG_ROOT);
    if (!root) {
      return [];
    }
    return root.keys().map(id => {
      const c = root.getConfig(id);
      const path = `${CONFIG_ROOT}.${id}`;
      const owner = c.getString('owner');
      const namespace = c.getOptionalString('namespace') ?? 'default';
      let ownerRef: string;
      try {
        const ref = parseEntityRef(owner, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        });
        if (
          !KubernetesValidatorFunctions.isValidObjectName(ref.name) ||
          !KubernetesValidatorFunctions.isValidNamespace(ref.namespace)
        ) {
          throw new Error(
            "expected [<kind>:][<namespace>/]<name> with a name of letters, digits, '-', '_' and '.'",
          );
        }
        ownerRef = stringifyEntityRef(ref);
      } catch (error) {
        throw new Error(
          `${path}.owner "${owner}" is not an entity reference: ${
            (error as Error).message
          }`,
        );
      }
      const schedule = c.has('schedule')
        ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
            c.getConfig('schedule'),
          )
        : { frequency: { minutes: 30 }, timeout: { minutes: 3 } };
      return new KubeflowModelCatalogProvider({
        id,
        sources: textLocationOf(c.getString('sources')),
        defaults: {
          owner: ownerRef,
          namespace,
          system: c.getOptionalString('system'),
          lifecycle: c.getOptionalString('lifecycle') ?? 'experimental',
        },
        reader: deps.reader,
        logger: deps.logger.child({ provider: id }),
        taskRunner: deps.scheduler.createScheduledTaskRunner(schedule),
      });
    });
  }

  private constructor(
    private readonly options: {
      id: string;
      sources: TextLocation;
      defaults: KubeflowEntityDefaults;
      reader: UrlReaderService;
      logger: LoggerService;
      taskRunner: SchedulerServiceTaskRunner;
    },
  ) {}

  getProviderName(): string {
    return `KubeflowModelCatalogProvider:${this.options.id}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
    await this.options.taskRunner.run({
      id: `${this.getProviderName()}:refresh`,
      fn: async () => {
        try {
          await this.refresh();
        } catch (error) {
          this.options.logger.error(
            `Kubeflow model catalog ${
              this.options.id
            } not refreshed, the catalog keeps the previous models: ${
              (error as Error).message
            }`,
          );
          throw error;
        }
      },
    });
  }

  /**
   * Reads the sources and applies the models to the catalog. Throws, and
   * applies nothing, when a file cannot be read or parsed.
   */
  async refresh(): Promise<KubeflowRefreshResult> {
    if (!this.connection) {
      throw new Error(`${this.getProviderName()} is not connected`);
    }
    const entities = await this.readEntities();
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    for (const { id, reason } of entities.skipped) {
      this.options.logger.info(
        `Kubeflow catalog source ${id} skipped: ${reason}`,
      );
    }
    for (const warning of entities.warnings) {
      this.options.logger.warn(warning);
    }
    const result = {
      entities: entities.entities.map(e => stringifyEntityRef(e)),
      skipped: entities.skipped,
      warnings: entities.warnings,
    };
    this.options.logger.info(
      `Kubeflow model catalog ${this.options.id}: ${
        result.entities.length
      } models from ${stringifyTextLocation(this.options.sources)}`,
    );
    return result;
  }

  private async read(location: TextLocation, what: string): Promise<string> {
    try {
      return await readTextLocation(this.options.reader, location);
    } catch (error) {
      throw new Error(
        `Cannot read ${what} ${location.target}: ${(error as Error).message}`,
      );
    }
  }

  private async readEntities(): Promise<{
    entities: Entity[];
    skipped: Array<{ id: string; reason: string }>;
    warnings: string[];
  }> {
    const { sources: sourcesLocation, defaults } = this.options;
    const sourcesText = await this.read(sourcesLocation, 'catalog sources');
    let parsed;
    try {
      parsed = parseKubeflowSources(sourcesText);
    } catch (error) {
      throw new Error(
        `Invalid catalog sources ${sourcesLocation.target}: ${
          (error as Error).message
        }`,
      );
    }

    const catalogs = new Map<string, KubeflowCatalog>();
    const entities: Entity[] = [];
    const warnings: string[] = [];
    const byName = new Map<string, string>();
    for (const source of parsed.sources) {
      let location: TextLocation;
      try {
        location = resolveTextLocation(
          sourcesLocation,
          source.yamlCatalogPath,
          `catalogs[id=${source.id}].properties.yamlCatalogPath`,
        );
      } catch (error) {
        throw new Error(
          `Invalid catalog sources ${sourcesLocation.target}: ${
            (error as Error).message
          }`,
        );
      }
      let catalog = catalogs.get(location.target);
      if (!catalog) {
        const text = await this.read(
          location,
          `the catalog of source ${source.id}`,
        );
        try {
          catalog = parseKubeflowCatalog(text);
        } catch (error) {
          throw new Error(
            `Invalid model catalog ${location.target} (source ${source.id}): ${
              (error as Error).message
            }`,
          );
        }
        catalogs.set(location.target, catalog);
      }
      for (const model of catalog.models) {
        if (!source.filter.allows(model.name)) {
          continue;
        }
        const converted = kubeflowModelToEntity({
          model,
          source,
          defaults,
          location: stringifyTextLocation(location),
          originLocation: stringifyTextLocation(sourcesLocation),
        });
        if ('error' in converted) {
          warnings.push(`source ${source.id}: ${converted.error}; left out`);
          continue;
        }
        const name = converted.entity.metadata.name;
        const first = byName.get(name);
        if (first) {
          warnings.push(
            `source ${source.id}: model "${model.name}" has the entity name "${name}" of ${first}; left out`,
          );
          continue;
        }
        byName.set(name, `model "${model.name}" of source ${source.id}`);
        warnings.push(
          ...converted.warnings.map(w => `source ${source.id}: ${w}`),
        );
        entities.push(converted.entity);
      }
    }
    return { entities, skipped: parsed.skipped, warnings };
  }
}
