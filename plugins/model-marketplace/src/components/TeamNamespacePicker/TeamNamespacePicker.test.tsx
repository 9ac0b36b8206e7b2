import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { TeamNamespacePicker } from './TeamNamespacePicker';

const group = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: {
    name: 'team-vision',
    annotations: {
      'aic.dev/kubernetes-namespaces':
        'sandbox/team-vision, sandbox/team-vision-staging',
    },
  },
  spec: { type: 'team', children: [] },
};

function fieldProps(overrides: Record<string, unknown> = {}) {
  return {
    formData: undefined,
    onChange: jest.fn(),
    schema: { title: 'Namespace' },
    uiSchema: {},
    rawErrors: [],
    required: true,
    formContext: { formData: { team: 'group:default/team-vision' } },
    idSchema: { $id: 'root_namespace' },
    disabled: false,
    ...overrides,
  } as any;
}

// Rendering and opening a Material UI menu in jsdom can take several seconds
// on a loaded machine; the default 5 s bound is too tight for that.
jest.setTimeout(60_000);

describe('TeamNamespacePicker', () => {
  it('offers the namespaces of the team chosen in the form', async () => {
    const catalogApi = { getEntityByRef: jest.fn().mockResolvedValue(group) };
    const props = fieldProps();
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker {...props} />
      </TestApiProvider>,
    );
    await waitFor(() =>
      expect(catalogApi.getEntityByRef).toHaveBeenCalledWith(
        'group:default/team-vision',
      ),
    );
    await userEvent.click(await screen.findByRole('button'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'team-vision (cluster sandbox)',
      'team-vision-staging (cluster sandbox)',
    ]);
    await userEvent.click(options[1]);
    expect(props.onChange).toHaveBeenCalledWith('team-vision-staging');
  });

  it('leaves out an entry that names no cluster, as the deploy check does', async () => {
    const catalogApi = {
      getEntityByRef: jest.fn().mockResolvedValue({
        ...group,
        metadata: {
          ...group.metadata,
          annotations: {
            'aic.dev/kubernetes-namespaces':
              'team-vision, sandbox/team-vision-staging',
          },
        },
      }),
    };
    const props = fieldProps();
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker {...props} />
      </TestApiProvider>,
    );
    // the only namespace left is preselected
    await waitFor(() =>
      expect(props.onChange).toHaveBeenCalledWith('team-vision-staging'),
    );
    expect(props.onChange).not.toHaveBeenCalledWith('team-vision');
  });

  it('reads the team from the field named in ui:options', async () => {
    const catalogApi = { getEntityByRef: jest.fn().mockResolvedValue(group) };
    const props = fieldProps({
      uiSchema: { 'ui:options': { teamField: 'owner' } },
      formContext: { formData: { owner: 'group:default/team-vision' } },
    });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker {...props} />
      </TestApiProvider>,
    );
    await waitFor(() => expect(catalogApi.getEntityByRef).toHaveBeenCalled());
  });

  it('asks for a team first', async () => {
    const catalogApi = { getEntityByRef: jest.fn() };
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker
          {...fieldProps({ formContext: { formData: {} } })}
        />
      </TestApiProvider>,
    );
    expect(screen.getByText('Choose a team first')).toBeInTheDocument();
    expect(catalogApi.getEntityByRef).not.toHaveBeenCalled();
  });

  it('says when the chosen team is not in the catalog', async () => {
    const catalogApi = {
      getEntityByRef: jest.fn().mockResolvedValue(undefined),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker
          {...fieldProps({ formContext: { formData: { team: 'team-ghost' } } })}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('team-ghost is not in the catalog'),
    ).toBeInTheDocument();
    // a bare name is looked up as a Group
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith('group:team-ghost');
  });

  it('tells how to give a team without namespaces one, and clears the value', async () => {
    const catalogApi = {
      getEntityByRef: jest.fn().mockResolvedValue({
        ...group,
        metadata: { name: 'team-vision', annotations: {} },
      }),
    };
    const props = fieldProps({ formData: 'sandbox/old' });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker {...props} />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText(/The team owns no namespace: add the annotation/),
    ).toBeInTheDocument();
    expect(props.onChange).toHaveBeenCalledWith(undefined);
  });

  it('keeps a namespace the team owns', async () => {
    const catalogApi = { getEntityByRef: jest.fn().mockResolvedValue(group) };
    const props = fieldProps({ formData: 'team-vision-staging' });
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker {...props} />
      </TestApiProvider>,
    );
    await waitFor(() => expect(catalogApi.getEntityByRef).toHaveBeenCalled());
    expect(
      await screen.findByText(
        'A namespace your team owns, where the model will run',
      ),
    ).toBeInTheDocument();
    expect(props.onChange).not.toHaveBeenCalled();
  });
  it('says it is loading, then uses the default title and text, and shows form errors', async () => {
    let answer: (entity: typeof group) => void = () => {};
    const catalogApi = {
      getEntityByRef: jest.fn(
        () => new Promise<typeof group>(resolve => (answer = resolve)),
      ),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        <TeamNamespacePicker
          {...fieldProps({
            schema: {},
            idSchema: undefined,
            rawErrors: ['must be one of the team’s namespaces'],
            formContext: { formData: { team: 'team-vision' } },
          })}
        />
      </TestApiProvider>,
    );
    expect(
      await screen.findByText('Loading the team’s namespaces…'),
    ).toBeInTheDocument();
    // a bare name is looked up as a group
    expect(catalogApi.getEntityByRef).toHaveBeenCalledWith('group:team-vision');
    answer(group);
    const help = await screen.findByText(
      'A namespace your team owns, where the model will run',
    );
    expect(help).toHaveClass('Mui-error');
    expect(document.getElementById('team-namespace-label')).toHaveTextContent(
      'Namespace',
    );
  });
});
