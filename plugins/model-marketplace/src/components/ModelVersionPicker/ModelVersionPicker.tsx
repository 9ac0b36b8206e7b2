import { useEffect } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { FieldExtensionComponentProps } from '@backstage/plugin-scaffolder-react';
import { isModelEntity } from '@aic/plugin-model-marketplace-common';
import { defaultVersion } from '../../util/models';
import { FormSelectField, formFieldValue } from '../FormSelectField';

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
  const modelRef = formFieldValue(formContext, modelField);

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
    <FormSelectField
      id={id}
      title={schema.title ?? 'Version'}
      options={versions?.map(v => ({
        value: v.version,
        label: `${v.version}${v.default ? ' (default)' : ''}${
          v.format ? ` · ${v.format}` : ''
        }`,
      }))}
      value={formData}
      onChange={onChange}
      help={help}
      error={!!error || (rawErrors?.length ?? 0) > 0}
      required={required}
      disabled={disabled}
    />
  );
};
