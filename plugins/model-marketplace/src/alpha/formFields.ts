import { createFormField } from '@backstage/plugin-scaffolder-react/alpha';
import { ModelVersionPicker } from '../components/ModelVersionPicker';
import { TeamNamespacePicker } from '../components/TeamNamespacePicker';

/** The ModelVersionPicker field for the new frontend system. */
export const modelVersionPickerFormField = createFormField({
  name: 'ModelVersionPicker',
  component: ModelVersionPicker as any,
});

/** The TeamNamespacePicker field for the new frontend system. */
export const teamNamespacePickerFormField = createFormField({
  name: 'TeamNamespacePicker',
  component: TeamNamespacePicker as any,
});
