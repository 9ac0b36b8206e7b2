import type {
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { ApiRouter as TypedApiRouter } from '@backstage/backend-openapi-utils';
import type { spec } from '../../schema/openapi';
import type { DeploymentInventory } from '../DeploymentInventory';
import type { ModelCatalog } from '../ModelCatalog';
import type { ModelIndex } from '../../index/ModelIndex';
import type { RequestQueries } from '../RequestQueries';
import type { RequestWorkflow } from '../RequestWorkflow';

/** The router generated from `src/schema/openapi.yaml`, typed by it. */
export type ApiRouter = TypedApiRouter<typeof spec>;

/** What the route modules use: identity, permissions and the services. */
export type RouteContext = {
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  index: ModelIndex;
  models: ModelCatalog;
  requestWorkflow: RequestWorkflow;
  requestQueries: RequestQueries;
  deployments: DeploymentInventory;
};
