import type {
  AuthService,
  DiscoveryService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { readDurationFromConfig } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { durationToMilliseconds } from '@backstage/types';
import { CallerApis } from './CallerApis';
import { registerCompareModelsAction } from './registerCompareModelsAction';
import { registerDeploymentActions } from './registerDeploymentActions';
import { registerGetModelAction } from './registerGetModelAction';
import { registerRequestActions } from './registerRequestActions';
import { registerSearchModelsAction } from './registerSearchModelsAction';
import { withSchemasBuiltOnce } from './schemasBuiltOnce';
import { TemplateRuns } from './TemplateRuns';

/**
 * Registers the marketplace's actions in Backstage's actions registry (ids
 * `model-marketplace:<name>`), which `@backstage/plugin-mcp-actions-backend`
 * serves as MCP tools. Each action runs as its caller through the REST API
 * and the scaffolder (see {@link CallerApis}). Their zod schemas are built
 * once ({@link withSchemasBuiltOnce}).
 */
export function registerMarketplaceActions(options: {
  actionsRegistry: ActionsRegistryService;
  auth: AuthService;
  discovery: DiscoveryService;
  catalog: CatalogService;
  config: RootConfigService;
}) {
  const settings = options.config.getOptionalConfig('modelMarketplace.actions');
  const apis = new CallerApis(options);
  const runs = new TemplateRuns(apis, {
    checksTimeoutMs: settings?.has('checksTimeout')
      ? durationToMilliseconds(
          readDurationFromConfig(settings, { key: 'checksTimeout' }),
        )
      : 60_000,
  });
  const registry = withSchemasBuiltOnce(options.actionsRegistry);
  registerSearchModelsAction(registry, apis);
  registerGetModelAction(registry, apis);
  registerCompareModelsAction(registry, apis);
  registerRequestActions(registry, apis);
  registerDeploymentActions(registry, apis, runs, {
    deployTemplateRef:
      settings?.getOptionalString('deployTemplate') ??
      'template:default/deploy-model',
    undeployTemplateRef:
      settings?.getOptionalString('undeployTemplate') ??
      'template:default/undeploy-model',
  });
}
