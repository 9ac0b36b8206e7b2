import { screen } from '@testing-library/react';
import {
  createExtensionTester,
  renderTestApp,
} from '@backstage/frontend-test-utils';
import { convertLegacyRouteRef } from '@backstage/core-compat-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import type {
  CustomFieldExtensionSchema,
  FieldExtensionComponent,
} from '@backstage/plugin-scaffolder-react';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { modelMarketplaceApiRef } from './api';
import {
  deployTeamPickerField,
  modelEntityContent,
  modelMarketplacePage,
  modelVersionPickerField,
  teamNamespacePickerField,
} from './alpha';
import { fakeModelMarketplaceApi, listResponse, modelSummary } from './testing';

/** The loader of a form field, as the scaffolder's form-fields API gets it. */
function loaderOf(
  extension:
    | typeof modelVersionPickerField
    | typeof teamNamespacePickerField
    | typeof deployTeamPickerField,
) {
  return createExtensionTester(extension as typeof modelVersionPickerField).get(
    FormFieldBlueprint.dataRefs.formFieldLoader,
  );
}

describe('model marketplace alpha extensions', () => {
  it('shows the Model tab on Model entities only', () => {
    const filter = createExtensionTester(modelEntityContent).get(
      EntityContentBlueprint.dataRefs.filterFunction,
    );
    if (!filter) {
      throw new Error('the Model tab has no entity filter');
    }
    const model = {
      apiVersion: 'aic.dev/v1alpha1',
      kind: 'Model',
      metadata: { name: 'llama' },
      spec: {},
    };
    expect(filter(model)).toBe(true);
    expect(
      filter({
        ...model,
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
      }),
    ).toBe(false);
  });

  it('mounts the marketplace page at /models and shows the models the API lists', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('llama-3-1-8b')])),
    });
    renderTestApp({
      extensions: [modelMarketplacePage],
      apis: [[modelMarketplaceApiRef, api]],
      initialRouteEntries: ['/models'],
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name':
          convertLegacyRouteRef(entityRouteRef),
      },
    });
    expect(
      // the page's code loads lazily; a busy machine needs a generous bound
      await screen.findByRole(
        'article',
        { name: 'Llama 3 1 8b' },
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(api.listModels).toHaveBeenCalledWith(
      expect.objectContaining({ limit: 24 }),
    );
  }, 60_000);

  it.each([
    [
      'ModelVersionPicker',
      loaderOf(modelVersionPickerField),
      'modelField',
      'Choose a model first',
    ],
    [
      'TeamNamespacePicker',
      loaderOf(teamNamespacePickerField),
      'teamField',
      'Choose a team first',
    ],
    [
      'DeployTeamPicker',
      loaderOf(deployTeamPickerField),
      'modelField',
      'Choose a model first',
    ],
  ])(
    'loads the %s scaffolder field',
    async (name, loader, option, help) => {
      // A form field is opaque to plugins; the scaffolder reads these props.
      const field = (await loader()) as unknown as {
        name: string;
        component: FieldExtensionComponent<string, {}>;
        schema: { schema: CustomFieldExtensionSchema };
      };
      expect(field.name).toBe(name);
      expect(field.schema.schema.returnValue).toMatchObject({ type: 'string' });
      expect(field.schema.schema.uiOptions).toMatchObject({
        type: 'object',
        properties: { [option]: { type: 'string' } },
      });

      const Field = field.component;
      await renderInTestApp(
        <TestApiProvider
          apis={[
            [modelMarketplaceApiRef, fakeModelMarketplaceApi()],
            [catalogApiRef, {}],
          ]}
        >
          <Field
            {...({
              formData: undefined,
              onChange: jest.fn(),
              schema: { title: name },
              uiSchema: {},
              rawErrors: [],
              formContext: { formData: {} },
              idSchema: { $id: 'root_field' },
            } as any)}
          />
        </TestApiProvider>,
      );
      expect(screen.getByText(help)).toBeInTheDocument();
    },
    60_000,
  );
});
