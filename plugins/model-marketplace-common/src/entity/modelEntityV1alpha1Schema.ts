import schema from './ModelEntityV1alpha1.schema.json';

/**
 * The JSON schema of the Model kind (`aic.dev/v1alpha1`), as the validator
 * uses it. Typed as plain JSON so that the published type declarations do
 * not reference the `.json` file.
 *
 * @public
 */
export const modelEntityV1alpha1Schema: Readonly<Record<string, unknown>> =
  schema;
