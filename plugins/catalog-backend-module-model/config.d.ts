import type { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  catalog?: {
    providers?: {
      /**
       * Kubeflow Model Catalog sources imported as Model entities, one
       * provider per key (the key is the provider's id).
       */
      kubeflowModelCatalog?: {
        [id: string]: {
          /**
           * The sources file (`model_catalogs: [...]` or `catalogs: [...]`): an http(s) URL, read
           * through Backstage's UrlReader (so `integrations` and
           * `backend.reading.allow` apply), or a file path relative to the
           * backend's working directory. Each source's `yamlCatalogPath`
           * resolves against it; a file source never reaches outside the
           * sources file's folder.
           */
          sources: string;
          /**
           * The owner of every imported model, an entity ref; a bare name
           * is a Group.
           */
          owner: string;
          /**
           * The lifecycle of models whose `maturity` is missing or not one
           * the importer knows. Default `experimental`.
           */
          lifecycle?: string;
          /** The system every imported model belongs to. */
          system?: string;
          /** The catalog namespace of the imported models. Default `default`. */
          namespace?: string;
          /**
           * How often to read the sources. Default every 30 minutes, with a
           * 3 minute timeout.
           */
          schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
        };
      };
      /**
       * One `API` entity per Ready endpoint of a deployment the marketplace
       * manages, read from the marketplace backend's `GET /deployments`.
       * Present (even empty, `{}`) to enable.
       */
      modelEndpointApis?: {
        /**
         * How often to read the deployments. Default every minute, with a
         * 1 minute timeout.
         */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
