import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { modelMarketplaceApiRef } from '../../api';
import { FormSelectField, formFieldValue } from '../FormSelectField';

/** `ui:options` of the DeployTeamPicker field. @public */
export type DeployTeamPickerUiOptions = {
  /** The form field that holds the model's entity ref. Default `model`. */
  modelField?: string;
};

/** `group:default/team-vision` → `team-vision`; other namespaces stay visible. */
function shortRef(ref: string): string {
  const match = /^group:(?:default\/)?(.+)$/.exec(ref);
  return match ? match[1] : ref;
}

/**
 * A scaffolder field: the teams the signed-in user may deploy the model
 * chosen in another field (`ui:options.modelField`, default `model`) for.
 * The marketplace backend answers them with the deploy guard's rules
 * (membership, an approved and not revoked request when the model's policy
 * needs one), so the form offers only the teams `model:deploy` accepts; with
 * none, the field says why. The value is the team's entity ref.
 */
export const DeployTeamPicker = (
  props: FieldExtensionComponentProps<string, DeployTeamPickerUiOptions>,
) => {
  const {
    formData,
    onChange,
    schema,
    uiSchema,
    rawErrors,
    required,
    formContext,
    idSchema,
    disabled,
  } = props;
  const api = useApi(modelMarketplaceApiRef);
  const catalogApi = useApi(catalogApiRef);
  const modelField = uiSchema?.['ui:options']?.modelField ?? 'model';
  const modelRef = formFieldValue(formContext, modelField);

  const {
    value: eligibility,
    loading,
    error,
  } = useAsync(async () => {
    if (!modelRef) {
      return undefined;
    }
    const { viewer } = await api.getModel(modelRef);
    // A backend without `viewer.deploy` leaves the check to model:deploy.
    const deploy = viewer.deploy ?? { teams: viewer.teams };
    // Teams by their titles, as the rest of Backstage shows them; a team the
    // catalog cannot answer for keeps its short ref.
    const labels = new Map<string, string>();
    if (deploy.teams.length > 0) {
      const { items } = await catalogApi
        .getEntitiesByRefs({
          entityRefs: deploy.teams,
          fields: ['metadata.name', 'metadata.title'],
        })
        .catch(() => ({ items: [] }));
      items.forEach((entity, i) => {
        if (entity?.metadata.title) {
          labels.set(deploy.teams[i], entity.metadata.title);
        }
      });
    }
    return { ...deploy, labels };
  }, [api, catalogApi, modelRef]);
  const teams = eligibility?.teams;

  useEffect(() => {
    if (!teams) {
      return;
    }
    if (formData && teams.includes(formData)) {
      return;
    }
    const next = teams.length === 1 ? teams[0] : undefined;
    if (next !== formData) {
      onChange(next);
    }
  }, [teams, formData, onChange]);

  const id = idSchema?.$id ?? 'deploy-team';
  let help =
    schema.description ?? 'The team that will own and run the deployment';
  if (!modelRef) {
    help = 'Choose a model first';
  } else if (error) {
    help = `Could not load who may deploy ${modelRef}: ${error.message}`;
  } else if (loading) {
    help = 'Loading the teams you may deploy this model for…';
  } else if (teams && teams.length === 0) {
    help = `You cannot deploy this model: ${
      eligibility?.reason ?? 'none of your teams may deploy it'
    }`;
  }
  return (
    <FormSelectField
      id={id}
      title={schema.title ?? 'Team'}
      options={teams?.map(team => ({
        value: team,
        label: eligibility?.labels.get(team) ?? shortRef(team),
      }))}
      value={formData}
      onChange={onChange}
      help={help}
      error={
        !!error ||
        (teams !== undefined && teams.length === 0) ||
        (rawErrors?.length ?? 0) > 0
      }
      required={required}
      disabled={disabled}
    />
  );
};
