import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import type { ModelDetails } from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { DeployTeamPicker } from './DeployTeamPicker';

type Viewer = ModelDetails['viewer'];

function apiAnswering(viewer: Viewer | Error) {
  return {
    getModel: jest.fn(async () => {
      if (viewer instanceof Error) {
        throw viewer;
      }
      return { viewer } as ModelDetails;
    }),
  };
}

function fieldProps(overrides: Record<string, unknown> = {}) {
  return {
    formData: undefined,
    onChange: jest.fn(),
    schema: { title: 'Team' },
    uiSchema: {},
    rawErrors: [],
    required: true,
    formContext: { formData: { model: 'model:default/llama-3-8b' } },
    idSchema: { $id: 'root_team' },
    disabled: false,
    ...overrides,
  } as any;
}

/** A catalog that knows the titles of some groups (by full ref). */
function catalogWithTitles(titles: Record<string, string> = {}) {
  return {
    getEntitiesByRefs: jest.fn(
      async ({ entityRefs }: { entityRefs: string[] }) => ({
        items: entityRefs.map(ref =>
          titles[ref]
            ? { metadata: { name: ref.split('/')[1], title: titles[ref] } }
            : undefined,
        ),
      }),
    ),
  };
}

async function renderPicker(
  api: object,
  props = fieldProps(),
  catalogApi: object = catalogWithTitles(),
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [modelMarketplaceApiRef, api],
        [catalogApiRef, catalogApi],
      ]}
    >
      <DeployTeamPicker {...props} />
    </TestApiProvider>,
  );
  return props;
}

// Opening a Material UI menu in jsdom can take seconds on a loaded machine.
jest.setTimeout(60_000);

const member = {
  teams: [
    'group:default/team-vision',
    'group:default/team-search',
    'group:ml/platform',
  ],
  canRequest: true,
  isApprover: false,
};

describe('DeployTeamPicker', () => {
  it('offers only the teams the deploy guard accepts for the chosen model', async () => {
    const api = apiAnswering({
      ...member,
      deploy: {
        teams: ['group:default/team-vision', 'group:ml/platform'],
      },
    });
    const props = await renderPicker(api);
    expect(api.getModel).toHaveBeenCalledWith('model:default/llama-3-8b');
    await userEvent.click(await screen.findByRole('button'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'team-vision',
      'ml/platform',
    ]);
    await userEvent.click(options[1]);
    expect(props.onChange).toHaveBeenCalledWith('group:ml/platform');
  });

  it('preselects the only eligible team and drops a value it does not accept', async () => {
    const api = apiAnswering({
      ...member,
      deploy: { teams: ['group:default/team-search'] },
    });
    const props = await renderPicker(
      api,
      fieldProps({ formData: 'group:default/team-vision' }),
    );
    await waitFor(() =>
      expect(props.onChange).toHaveBeenCalledWith('group:default/team-search'),
    );
    expect(props.onChange).not.toHaveBeenCalledWith(
      'group:default/team-vision',
    );
  });

  it('keeps a chosen team that is eligible', async () => {
    const api = apiAnswering({
      ...member,
      deploy: {
        teams: ['group:default/team-vision', 'group:default/team-search'],
      },
    });
    const props = await renderPicker(
      api,
      fieldProps({ formData: 'group:default/team-search' }),
    );
    expect(await screen.findByRole('button')).toHaveTextContent('team-search');
    expect(props.onChange).not.toHaveBeenCalled();
  });

  it('says why no team may deploy and disables the field', async () => {
    const api = apiAnswering({
      ...member,
      deploy: {
        teams: [],
        reason:
          'None of your teams has an approved request for this model; request it for your team first',
      },
    });
    const props = await renderPicker(
      api,
      fieldProps({ formData: 'group:default/team-vision' }),
    );
    expect(
      await screen.findByText(
        'You cannot deploy this model: None of your teams has an approved request for this model; request it for your team first',
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button')).toHaveAttribute('aria-disabled', 'true');
    // the stale choice is cleared, so the form cannot be submitted with it
    await waitFor(() => expect(props.onChange).toHaveBeenCalledWith(undefined));
  });

  it('shows the titles the catalog knows, and the short ref of the others', async () => {
    const api = apiAnswering({
      ...member,
      deploy: {
        teams: ['group:default/team-vision', 'group:ml/platform'],
      },
    });
    const catalogApi = catalogWithTitles({
      'group:default/team-vision': 'Vision',
    });
    await renderPicker(api, fieldProps(), catalogApi);
    await userEvent.click(await screen.findByRole('button'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['Vision', 'ml/platform']);
    expect(catalogApi.getEntitiesByRefs).toHaveBeenCalledWith({
      entityRefs: ['group:default/team-vision', 'group:ml/platform'],
      fields: ['metadata.name', 'metadata.title'],
    });
  });

  it('still offers the teams when the catalog cannot give their titles', async () => {
    const api = apiAnswering({
      ...member,
      deploy: { teams: ['group:default/team-vision'] },
    });
    const props = await renderPicker(api, fieldProps(), {
      getEntitiesByRefs: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    await waitFor(() =>
      expect(props.onChange).toHaveBeenCalledWith('group:default/team-vision'),
    );
    await userEvent.click(await screen.findByRole('button'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['team-vision']);
  });

  it('falls back to the membership list of a backend without viewer.deploy', async () => {
    const api = apiAnswering(member);
    await renderPicker(api);
    await userEvent.click(await screen.findByRole('button'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'team-vision',
      'team-search',
      'ml/platform',
    ]);
  });

  it('names the model and the cause when the marketplace cannot answer', async () => {
    const api = apiAnswering(new Error('Model default/llama-3-8b not found'));
    await renderPicker(api);
    expect(
      await screen.findByText(
        'Could not load who may deploy model:default/llama-3-8b: Model default/llama-3-8b not found',
      ),
    ).toBeInTheDocument();
  });

  it('reads the model from the field named in ui:options, and asks for one first', async () => {
    const api = apiAnswering({ ...member, deploy: { teams: [] } });
    await renderPicker(
      api,
      fieldProps({
        uiSchema: { 'ui:options': { modelField: 'entity' } },
        formContext: { formData: { model: 'model:default/other' } },
      }),
    );
    expect(screen.getByText('Choose a model first')).toBeInTheDocument();
    expect(api.getModel).not.toHaveBeenCalled();
  });
  it('says it is loading, then describes the field with the default title and text', async () => {
    let answer: (details: ModelDetails) => void = () => {};
    const api = {
      getModel: jest.fn(
        () => new Promise<ModelDetails>(resolve => (answer = resolve)),
      ),
    };
    await renderPicker(
      api,
      fieldProps({
        schema: {},
        idSchema: undefined,
        rawErrors: undefined,
        formData: 'user:x',
      }),
    );
    expect(
      await screen.findByText(
        'Loading the teams you may deploy this model for…',
      ),
    ).toBeInTheDocument();
    answer({
      viewer: { ...member, deploy: { teams: ['team-z', 'group:default/a'] } },
    } as ModelDetails);
    expect(
      await screen.findByText('The team that will own and run the deployment'),
    ).toBeInTheDocument();
    expect(document.getElementById('deploy-team-label')).toHaveTextContent(
      'Team',
    );
    await userEvent.click(screen.getByRole('button'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    // a ref that is no group keeps its full form
    expect(options.map(o => o.textContent)).toEqual(['team-z', 'a']);
  });

  it('gives the general reason when the backend names none', async () => {
    const api = apiAnswering({ ...member, deploy: { teams: [] } });
    await renderPicker(api);
    expect(
      await screen.findByText(
        'You cannot deploy this model: none of your teams may deploy it',
      ),
    ).toHaveClass('Mui-error');
  });
});
