import { makeFieldSchema } from '@backstage/plugin-scaffolder-react';
import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ModelVersionPicker } from '../components/ModelVersionPicker';
import { TeamNamespacePicker } from '../components/TeamNamespacePicker';
import { DeployTeamPicker } from '../components/DeployTeamPicker';

/** The zod implementation the scaffolder hands to field schema builders. */
type ZodImpl = Parameters<Parameters<typeof makeFieldSchema>[0]['output']>[0];

const stringOutput = (z: ZodImpl) => z.string();
const modelFieldUiOptions = (z: ZodImpl) =>
  z.object({
    modelField: z
      .string()
      .optional()
      .describe("The form field that holds the model's entity ref"),
  });
const namespaceUiOptions = (z: ZodImpl) =>
  z.object({
    teamField: z
      .string()
      .optional()
      .describe("The form field that holds the team's entity ref"),
  });

/** The ModelVersionPicker field for the new frontend system. */
export const modelVersionPickerFormField = createFormField<
  ReturnType<typeof stringOutput>,
  ReturnType<typeof modelFieldUiOptions>
>({
  name: 'ModelVersionPicker',
  component: ModelVersionPicker,
  schema: makeFieldSchema({
    output: stringOutput,
    uiOptions: modelFieldUiOptions,
  }),
});

/** The TeamNamespacePicker field for the new frontend system. */
export const teamNamespacePickerFormField = createFormField<
  ReturnType<typeof stringOutput>,
  ReturnType<typeof namespaceUiOptions>
>({
  name: 'TeamNamespacePicker',
  component: TeamNamespacePicker,
  schema: makeFieldSchema({
    output: stringOutput,
    uiOptions: namespaceUiOptions,
  }),
});

/** The DeployTeamPicker field for the new frontend system. */
export const deployTeamPickerFormField = createFormField<
  ReturnType<typeof stringOutput>,
  ReturnType<typeof modelFieldUiOptions>
>({
  name: 'DeployTeamPicker',
  component: DeployTeamPicker,
  schema: makeFieldSchema({
    output: stringOutput,
    uiOptions: modelFieldUiOptions,
  }),
});
