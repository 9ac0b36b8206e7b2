import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { ModelVersionPicker } from './ModelVersionPicker';

const model = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama' },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'ml-platform',
    versions: [
      { version: '1.0.0', artifact: 'hf://a', default: true },
      { version: '1.0.0-awq-int4', artifact: 's3://b', format: 'safetensors' },
    ],
  },
};

describe('ModelVersionPicker', () => {
  it('preselects the default version and offers the others', async () => {
    const catalogApi = { getEntityByRef: jest.fn().mockResolvedValue(model) };
    const onChange = jest.fn();
    const props = {
      formData: undefined,
      onChange,
      schema: { title: 'Version' },
      uiSchema: {},
      rawErrors: [],
      formContext: { formData: { model: 'model:default/llama' } },
      idSchema: { $id: 'root_version' },
    } as any;
    const { rerender } = await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <ModelVersionPicker {...props} />
      </TestApiProvider>,
    );
    await waitFor(() => expect(onChange).toHaveBeenCalledWith('1.0.0'));
    rerender(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <ModelVersionPicker {...props} formData="1.0.0" />
      </TestApiProvider>,
    );
    await userEvent.click(screen.getByRole('button'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      '1.0.0 (default)',
      '1.0.0-awq-int4 · safetensors',
    ]);
    await userEvent.click(options[1]);
    expect(onChange).toHaveBeenLastCalledWith('1.0.0-awq-int4');
  });

  it('says when the chosen entity is not a model', async () => {
    const catalogApi = {
      getEntityByRef: jest.fn().mockResolvedValue(undefined),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <ModelVersionPicker
          {...({
            onChange: jest.fn(),
            schema: {},
            uiSchema: { 'ui:options': { modelField: 'm' } },
            formContext: { formData: { m: 'model:default/nope' } },
          } as any)}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(
        'model:default/nope is not a Model in the catalog',
      ),
    ).toBeInTheDocument();
  });
  it('asks for a model first, and chooses nothing for a model without versions', async () => {
    const catalogApi = {
      getEntityByRef: jest
        .fn()
        .mockResolvedValue({ ...model, spec: { ...model.spec, versions: [] } }),
    };
    const onChange = jest.fn();
    const props = { onChange, schema: {}, uiSchema: {} } as any;
    const { rerender } = await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <ModelVersionPicker {...props} formContext={{ formData: {} }} />
      </TestApiProvider>,
    );
    expect(screen.getByText('Choose a model first')).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).not.toHaveBeenCalled();

    rerender(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <ModelVersionPicker
          {...props}
          formContext={{ formData: { model: 'model:default/llama' } }}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('The version of the model to deploy'),
    ).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
      'model:default/llama',
    );
    expect(onChange).not.toHaveBeenCalled();
    expect(screen.getByRole('button')).toHaveAttribute('aria-disabled', 'true');
  });
});
