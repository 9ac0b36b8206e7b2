import { useRouteRef } from '@backstage/core-plugin-api';
import { scaffolderTemplateRouteRef } from '../routes';

/** The templates the Deploy and Undeploy buttons open. */
export const DEPLOY_TEMPLATE = {
  namespace: 'default',
  templateName: 'deploy-model',
};
export const UNDEPLOY_TEMPLATE = {
  namespace: 'default',
  templateName: 'undeploy-model',
};

/** Links into the scaffolder's templates with the form filled in. */
export type TemplateLinks = {
  deploy(modelRef: string, extra?: { version?: string; team?: string }): string;
  undeploy(deployment: {
    id: string;
    model: string;
    team: string;
    cluster: string;
    namespace: string;
  }): string;
};

/**
 * The deploy and undeploy links, through the external route the app binds
 * to the scaffolder's template page; `undefined` when it is not bound.
 */
export function useTemplateLinks(): TemplateLinks | undefined {
  const templatePage = useRouteRef(scaffolderTemplateRouteRef);
  if (!templatePage) {
    return undefined;
  }
  const withForm = (
    template: { namespace: string; templateName: string },
    formData: Record<string, string>,
  ) =>
    `${templatePage(template)}?formData=${encodeURIComponent(
      JSON.stringify(formData),
    )}`;
  return {
    deploy: (modelRef, extra = {}) =>
      withForm(DEPLOY_TEMPLATE, {
        model: modelRef,
        ...(extra.version ? { version: extra.version } : {}),
        ...(extra.team ? { team: extra.team } : {}),
      }),
    undeploy: deployment =>
      withForm(UNDEPLOY_TEMPLATE, {
        deploymentId: deployment.id,
        model: deployment.model,
        team: deployment.team,
        cluster: deployment.cluster,
        namespace: deployment.namespace,
      }),
  };
}
