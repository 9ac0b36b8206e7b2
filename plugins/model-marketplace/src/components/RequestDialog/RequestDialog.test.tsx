import { render, screen, waitFor, within } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { identityApiRef } from '@backstage/core-plugin-api';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi } from '../../testing';
import { setupUser } from '../../__testUtils__/setupUser';
import { RequestDialog, validateRequestForm } from './RequestDialog';
import type { ModelAccessQuestion } from '@aic/plugin-model-marketplace-common';

let user: ReturnType<typeof setupUser>;
beforeEach(() => {
  user = setupUser();
});

/**
 * Focuses a field and pastes the text: one input event instead of a
 * re-render per keystroke.
 */
async function fillIn(element: HTMLElement, text: string) {
  await user.click(element);
  await user.paste(text);
}

/** The open select's menu (a role query would walk the whole page). */
function listbox(): HTMLElement {
  return document.querySelector<HTMLElement>('[role="listbox"]')!;
}

// Still above Jest's 5 s on a machine loaded 12 times over (measured at load
// 25 on 2 cores: the first render 2-6 s, then 0.8-1 s per click). What is
// left after dropping the pointer-events check and role queries is jsdom's
// getComputedStyle, which MUI's TextareaAutosize (the purpose field) and
// Modal call on each update and which walks every JSS rule in the document.
jest.setTimeout(30_000);

const versions = [
  { version: '1.0.0', artifact: 'hf://a', default: true },
  { version: '2.0.0', artifact: 'hf://b' },
];

const identityApi = {
  getBackstageIdentity: jest.fn().mockResolvedValue({
    type: 'user',
    userEntityRef: 'user:default/mia',
    ownershipEntityRefs: ['user:default/mia', 'group:default/team-vision'],
  }),
};

async function renderDialog(
  api: ReturnType<typeof fakeModelMarketplaceApi>,
  teams?: string[],
  onCreated = jest.fn(),
  questions?: ModelAccessQuestion[],
) {
  // The dialog needs its APIs only: no app, routes or theme provider, which
  // renderInTestApp would build for every test.
  render(
    <TestApiProvider
      apis={[
        [modelMarketplaceApiRef, api],
        [identityApiRef, identityApi],
      ]}
    >
      <RequestDialog
        open
        onClose={jest.fn()}
        onCreated={onCreated}
        modelRef="model:default/llama"
        modelTitle="Llama"
        versions={versions}
        teams={teams}
        questions={questions}
      />
    </TestApiProvider>,
  );
  return { onCreated };
}

async function choose(label: string, option: string) {
  await user.click(screen.getByLabelText(label));
  await user.click(within(listbox()).getByText(option));
}

describe('RequestDialog', () => {
  it('shows validation messages and sends nothing when the form is incomplete', async () => {
    const api = fakeModelMarketplaceApi();
    await renderDialog(api, [
      'group:default/team-search',
      'group:default/team-assistants',
    ]);

    await user.click(screen.getByText('Send request').closest('button')!);
    expect(
      screen.getByText('Choose the team that will use the model'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Say what your team will use the model for'),
    ).toBeInTheDocument();

    await fillIn(screen.getByLabelText(/Purpose/), 'short');
    expect(screen.getByText(/at least 10 characters/)).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();
  });

  it('sends the team, version and purpose', async () => {
    const api = fakeModelMarketplaceApi({
      createRequest: jest
        .fn()
        .mockResolvedValue({ id: 'r1', status: 'pending' }),
    });
    const { onCreated } = await renderDialog(api, [
      'group:default/team-search',
      'group:default/team-assistants',
    ]);

    await choose('Team', 'team-assistants');
    await choose('Version', '2.0.0');
    await fillIn(
      screen.getByLabelText(/Purpose/),
      'A support copilot for the help desk',
    );
    await user.click(screen.getByText('Send request').closest('button')!);

    await waitFor(() =>
      expect(api.createRequest).toHaveBeenCalledWith({
        model: 'model:default/llama',
        team: 'group:default/team-assistants',
        version: '2.0.0',
        purpose: 'A support copilot for the help desk',
      }),
    );
    expect(await screen.findByText(/Request sent/)).toBeInTheDocument();
    expect(onCreated).toHaveBeenCalledWith({ id: 'r1', status: 'pending' });
  });

  it('offers only the user’s groups when no teams are given', async () => {
    const api = fakeModelMarketplaceApi({
      createRequest: jest
        .fn()
        .mockResolvedValue({ id: 'r2', status: 'approved' }),
    });
    await renderDialog(api);

    // The only group is preselected.
    await waitFor(() =>
      expect(screen.getByLabelText('Team')).toHaveTextContent('team-vision'),
    );
    await user.click(screen.getByLabelText('Team'));
    const options = within(listbox()).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual(['team-vision']);
    await user.keyboard('{Escape}');

    await fillIn(
      screen.getByLabelText(/Purpose/),
      'Defect detection on the line',
    );
    await user.click(screen.getByText('Send request').closest('button')!);
    expect(
      await screen.findByText(/your request is approved/),
    ).toBeInTheDocument();
  });

  it('shows the backend’s refusal', async () => {
    const api = fakeModelMarketplaceApi({
      createRequest: jest
        .fn()
        .mockRejectedValue(new Error('team-search may not request this model')),
    });
    await renderDialog(api, ['group:default/team-search']);
    await fillIn(
      screen.getByLabelText(/Purpose/),
      'Semantic search over the catalog',
    );
    await user.click(screen.getByText('Send request').closest('button')!);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'team-search may not request this model',
    );
  });

  it("asks the owner's questions and sends the answers", async () => {
    const api = fakeModelMarketplaceApi({
      createRequest: jest
        .fn()
        .mockResolvedValue({ id: 'r3', status: 'pending' }),
    });
    await renderDialog(api, ['group:default/team-search'], jest.fn(), [
      { id: 'useCase', label: 'Use case', type: 'text', required: true },
      {
        id: 'environment',
        label: 'Environment',
        type: 'select',
        options: ['offline evaluation', 'staging'],
        required: true,
        help: 'Where it runs',
      },
      {
        id: 'acceptLicence',
        label: 'I accept the licence',
        type: 'checkbox',
        required: true,
      },
      { id: 'share', label: 'Share results', type: 'checkbox' },
    ]);
    await fillIn(
      screen.getByLabelText(/Purpose/),
      'Offline evaluation of reranking',
    );
    const send = screen.getByText('Send request').closest('button')!;
    await user.click(send);
    // the text and the select question
    expect(
      screen.getAllByText('Answer this to request the model'),
    ).toHaveLength(2);
    expect(
      screen.getByText('Tick this to request the model'),
    ).toBeInTheDocument();
    expect(api.createRequest).not.toHaveBeenCalled();

    await fillIn(screen.getByLabelText(/Use case/), 'nDCG on golden queries');
    await choose('Environment', 'staging');
    await user.click(screen.getByLabelText(/I accept the licence/));
    await user.click(send);
    await waitFor(() =>
      expect(api.createRequest).toHaveBeenCalledWith({
        model: 'model:default/llama',
        team: 'group:default/team-search',
        version: '1.0.0',
        purpose: 'Offline evaluation of reranking',
        answers: {
          useCase: 'nDCG on golden queries',
          environment: 'staging',
          acceptLicence: true,
        },
      }),
    );
  });

  it('validates pure data', () => {
    expect(
      validateRequestForm({
        team: 'group:default/other',
        version: '9.9.9',
        purpose: 'x'.repeat(2001),
        teams: ['group:default/mine'],
        versions,
      }),
    ).toEqual({
      team: 'You can only request for a team you are a member of',
      version: 'Choose one of the model’s versions',
      purpose: 'Keep it under 2000 characters (now 2001)',
    });
  });
});
