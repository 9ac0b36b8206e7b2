import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/** The marketplace page. @public */
export const rootRouteRef = createRouteRef({ id: 'model-marketplace' });

/**
 * The scaffolder's page of one template, where the Deploy and Undeploy
 * buttons lead. Bind it to the scaffolder's `selectedTemplate` route in the
 * app; without a binding the buttons are not shown.
 *
 * @public
 */
export const scaffolderTemplateRouteRef = createExternalRouteRef({
  id: 'model-marketplace-scaffolder-template',
  params: ['namespace', 'templateName'],
  optional: true,
  defaultTarget: 'scaffolder.selectedTemplate',
});
