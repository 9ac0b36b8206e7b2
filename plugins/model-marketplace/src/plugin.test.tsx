import type { ReactNode } from 'react';
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  catalogApiRef,
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import {
  ScaffolderFieldExtensions,
  useCustomFieldExtensions,
} from '@backstage/plugin-scaffolder-react';
import { modelMarketplaceApiRef } from './api';
import { rootRouteRef } from './routes';
import {
  DeployTeamPickerFieldExtension,
  EntityModelContent,
  ModelMarketplacePage,
  ModelVersionPickerFieldExtension,
  TeamNamespacePickerFieldExtension,
  modelMarketplacePlugin,
} from './plugin';
import { fakeModelMarketplaceApi, listResponse, modelSummary } from './testing';

// The lazily loaded page and content chunks take a while on a busy machine.
jest.setTimeout(60_000);

/**
 * What a scaffolder form does with the field extensions of an app: collects
 * them from the children of <ScaffolderFieldExtensions> and draws each one.
 */
function FormWithFields(props: { outlet: ReactNode }) {
  const fields = useCustomFieldExtensions(props.outlet);
  return (
    <>
      {fields.map(({ name, component: Field }) => (
        <section key={name} aria-label={name}>
          <Field
            {...({
              formData: undefined,
              onChange: jest.fn(),
              schema: { title: name },
              uiSchema: {},
              rawErrors: [],
              formContext: { formData: {} },
              idSchema: { $id: `root_${name}` },
            } as any)}
          />
        </section>
      ))}
    </>
  );
}

describe('the legacy model marketplace plugin', () => {
  it('is the model-marketplace plugin with its marketplace route', () => {
    expect(modelMarketplacePlugin.getId()).toBe('model-marketplace');
    expect(modelMarketplacePlugin.routes.root).toBe(rootRouteRef);
  });

  it('gives the scaffolder its three form fields, each asking for what it depends on', async () => {
    const outlet = (
      <ScaffolderFieldExtensions>
        <ModelVersionPickerFieldExtension />
        <TeamNamespacePickerFieldExtension />
        <DeployTeamPickerFieldExtension />
      </ScaffolderFieldExtensions>
    );
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [modelMarketplaceApiRef, fakeModelMarketplaceApi()],
          [catalogApiRef, {}],
        ]}
      >
        <FormWithFields outlet={outlet} />
      </TestApiProvider>,
    );
    const fields = screen.getAllByRole('region');
    expect(fields.map(f => f.getAttribute('aria-label'))).toEqual([
      'ModelVersionPicker',
      'TeamNamespacePicker',
      'DeployTeamPicker',
    ]);
    // No model or team is chosen in the form yet.
    expect(screen.getAllByText('Choose a model first')).toHaveLength(2);
    expect(screen.getByText('Choose a team first')).toBeInTheDocument();
  });

  it('serves the marketplace page at its mount point', async () => {
    const api = fakeModelMarketplaceApi({
      listModels: jest
        .fn()
        .mockResolvedValue(listResponse([modelSummary('llama-3-1-8b')])),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
        <Routes>
          <Route path="/models/*" element={<ModelMarketplacePage />} />
        </Routes>
      </TestApiProvider>,
      {
        routeEntries: ['/models'],
        mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      },
    );
    expect(
      await screen.findByText('Llama 3 1 8b', {}, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(screen.getByText('Models', { selector: 'h1' })).toBeInTheDocument();
  });

  it('draws the Model tab of a Model entity', async () => {
    const api = fakeModelMarketplaceApi({
      getModel: jest.fn().mockRejectedValue(new Error('backend is down')),
      listDeployments: jest.fn().mockResolvedValue({ items: [] }),
      listRequests: jest.fn().mockResolvedValue({ items: [], totalItems: 0 }),
    });
    await renderInTestApp(
      <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
        <EntityProvider
          entity={{
            apiVersion: 'aic.dev/v1alpha1',
            kind: 'Model',
            metadata: {
              name: 'llama',
              namespace: 'default',
              description: 'The chat model of the help desk.',
            },
            spec: {
              type: 'llm',
              lifecycle: 'production',
              owner: 'group:default/ml-platform',
              versions: [{ version: '1.0.0', artifact: 'hf://a' }],
              access: { policy: 'open' },
            },
          }}
        >
          <EntityModelContent />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    expect(
      await screen.findByText(
        'The chat model of the help desk.',
        {},
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    expect(api.getModel).toHaveBeenCalledWith('model:default/llama');
  });
});
