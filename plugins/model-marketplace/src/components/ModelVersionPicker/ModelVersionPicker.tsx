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
import { isModelEntity } from '@aic/plugin-model-marketplace-common';
import { defaultVersion } from '../../util/models';

/** `ui:options` of the ModelVersionPicker field. @public */
export type ModelVersionPickerUiOptions = {
  /** The form field that holds the model's entity ref. Default `model`. */
  modelField?: string;
};

/**
 * A scaffolder field: the versions of the model chosen in another field of
 * the form (`ui:options.modelField`, default `model`). Preselects the
 * model's default version.
 */
export const ModelVersionPicker = (
  props: FieldExtensionComponentProps<string, ModelVersionPickerUiOptions>,
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
  const modelField = uiSchema?.['ui:options']?.modelField ?? 'model';
  // The whole form's data, which the scaffolder passes as the form context.
  const formValues: Record<string, unknown> | undefined = formContext?.formData;
  const picked = formValues?.[modelField];
  const modelRef = typeof picked === 'string' ? picked : undefined;

  const {
    value: versions,
    loading,
    error,
  } = useAsync(async () => {
    if (!modelRef) {
      return undefined;
    }
    const entity = await catalogApi.getEntityByRef(modelRef);
    if (!isModelEntity(entity)) {
      throw new Error(`${modelRef} is not a Model in the catalog`);
    }
    return entity.spec.versions ?? [];
  }, [catalogApi, modelRef]);

  useEffect(() => {
    if (!versions) {
      return;
    }
    if (formData && versions.some(v => v.version === formData)) {
      return;
    }
    const fallback = defaultVersion(versions)?.version;
    if (fallback && fallback !== formData) {
      onChange(fallback);
    }
  }, [versions, formData, onChange]);

  const id = idSchema?.$id ?? 'model-version';
  let help = schema.description ?? 'The version of the model to deploy';
  if (!modelRef) {
    help = 'Choose a model first';
  } else if (error) {
    help = error.message;
  } else if (loading) {
    help = 'Loading the model’s versions…';
  }
  return (
    <FormControl
      fullWidth
      margin="normal"
      variant="outlined"
      required={required}
      error={!!error || (rawErrors?.length ?? 0) > 0}
      disabled={disabled || !versions?.length}
    >
      <InputLabel id={`${id}-label`}>{schema.title ?? 'Version'}</InputLabel>
      <Select
        labelId={`${id}-label`}
        id={id}
        label={schema.title ?? 'Version'}
        value={versions?.some(v => v.version === formData) ? formData : ''}
        onChange={e => onChange(e.target.value as string)}
      >
        {(versions ?? []).map(v => (
          <MenuItem key={v.version} value={v.version}>
            {v.version}
            {v.default ? ' (default)' : ''}
            {v.format ? ` · ${v.format}` : ''}
          </MenuItem>
        ))}
      </Select>
      <FormHelperText>{help}</FormHelperText>
    </FormControl>
  );
};
