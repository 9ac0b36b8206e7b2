/*
 * The Backstage backend of the model marketplace demo. It wires Backstage's
 * own plugins together with this project's plugins and modules.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
// the app's gzip and brotli copies made at build time, served as they are
backend.add(import('./modules/appPrecompressedAssetsModule'));

// auth: a provider signs people in only when auth.providers configures it.
// GitHub for deployments (app-config.production.yaml); guest and devUser
// for the local demo only (app-config.demo.yaml), both refused in production.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('./modules/devUserAuthModule'));

// catalog, with the Model kind
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@aic/plugin-catalog-backend-module-model'));
backend.add(import('@aic/plugin-model-marketplace-backend'));

// scaffolder, with the model deploy actions
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@aic/plugin-scaffolder-backend-module-model'));

// MCP: the actions of the plugins in backend.actions.pluginSources (the
// marketplace's) as MCP tools at /api/mcp-actions/v1, run as the caller
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// permissions, with this project's policy
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./modules/permissionPolicyModule'));

// search over the catalog (PostgreSQL engine when on PostgreSQL)
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

// kubernetes, notifications, signals, user settings
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));

backend.start();
