import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import {
  ANNOTATION_KUBERNETES_NAMESPACES,
  parseTeamNamespaces,
} from '@aic/plugin-model-marketplace-common';
import { FormSelectField, formFieldValue } from '../FormSelectField';

/** `ui:options` of the TeamNamespacePicker field. @public */
export type TeamNamespacePickerUiOptions = {
  /** The form field that holds the team's entity ref. Default `team`. */
  teamField?: string;
};

/**
 * A scaffolder field: the Kubernetes namespaces the team chosen in another
 * field (`ui:options.teamField`, default `team`) owns, from the team's
 * `aic.dev/kubernetes-namespaces` annotation. The value is the namespace
 * name; the option label shows its cluster.
 */
export const TeamNamespacePicker = (
  props: FieldExtensionComponentProps<string, TeamNamespacePickerUiOptions>,
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
  const catalogApi = useApi(catalogApiRef);
  const teamField = uiSchema?.['ui:options']?.teamField ?? 'team';
  const teamRef = formFieldValue(formContext, teamField);

  const {
    value: namespaces,
    loading,
    error,
  } = useAsync(async () => {
    if (!teamRef) {
      return undefined;
    }
    const group = await catalogApi.getEntityByRef(
      teamRef.includes(':') ? teamRef : `group:${teamRef}`,
    );
    if (!group) {
      throw new Error(`${teamRef} is not in the catalog`);
    }
    return parseTeamNamespaces(
      group.metadata.annotations?.[ANNOTATION_KUBERNETES_NAMESPACES],
    );
  }, [catalogApi, teamRef]);

  useEffect(() => {
    if (!namespaces) {
      return;
    }
    if (formData && namespaces.some(n => n.namespace === formData)) {
      return;
    }
    const next = namespaces.length === 1 ? namespaces[0].namespace : undefined;
    if (next !== formData) {
      onChange(next);
    }
  }, [namespaces, formData, onChange]);

  const id = idSchema?.$id ?? 'team-namespace';
  let help =
    schema.description ??
    'A namespace your team owns, where the model will run';
  if (!teamRef) {
    help = 'Choose a team first';
  } else if (error) {
    help = error.message;
  } else if (loading) {
    help = 'Loading the team’s namespaces…';
  } else if (namespaces && namespaces.length === 0) {
    help = `The team owns no namespace: add the annotation ${ANNOTATION_KUBERNETES_NAMESPACES} to its Group`;
  }
  return (
    <FormSelectField
      id={id}
      title={schema.title ?? 'Namespace'}
      options={namespaces?.map(n => ({
        value: n.namespace,
        label: `${n.namespace} (cluster ${n.cluster})`,
        key: `${n.cluster}/${n.namespace}`,
      }))}
      value={formData}
      onChange={onChange}
      help={help}
      error={
        !!error ||
        (namespaces !== undefined && namespaces.length === 0) ||
        (rawErrors?.length ?? 0) > 0
      }
      required={required}
      disabled={disabled}
    />
  );
};
