import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormHelperText from '@material-ui/core/FormHelperText';
import InputLabel from '@material-ui/core/InputLabel';
import MenuItem from '@material-ui/core/MenuItem';
import Select from '@material-ui/core/Select';
import {
  ANNOTATION_KUBERNETES_NAMESPACES,
  parseTeamNamespaces,
} from '@aic/plugin-model-marketplace-common';

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
  // The whole form's data, which the scaffolder passes as the form context.
  const formValues: Record<string, unknown> | undefined = formContext?.formData;
  const picked = formValues?.[teamField];
  const teamRef = typeof picked === 'string' ? picked : undefined;

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
    <FormControl
      fullWidth
      margin="normal"
      variant="outlined"
      required={required}
      error={
        !!error ||
        (namespaces !== undefined && namespaces.length === 0) ||
        (rawErrors?.length ?? 0) > 0
      }
      disabled={disabled || !namespaces?.length}
    >
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Namespace'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        label={schema.title ?? 'Namespace'}
        value={namespaces?.some(n => n.namespace === formData) ? formData : ''}
        onChange={e => onChange(e.target.value as string)}
      >
        {(namespaces ?? []).map(n => (
          <MenuItem key={`${n.cluster}/${n.namespace}`} value={n.namespace}>
            {n.namespace}
            {` (cluster ${n.cluster})`}
          </MenuItem>
        ))}
      </Select>
      <FormHelperText>{help}</FormHelperText>
    </FormControl>
  );
};
