import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  alertApiRef,
  fetchApiRef,
  identityApiRef,
} from '@backstage/core-plugin-api';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import type { ModelEntityV1alpha1 } from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { scaffolderTemplateRouteRef } from '../../routes';
import {
  fakeModelMarketplaceApi,
  modelDetails,
  modelSummary,
} from '../../testing';
import { ModelEntityContent } from './ModelEntityContent';

const entity: ModelEntityV1alpha1 = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: {
    name: 'llama-3-1-8b-instruct',
    namespace: 'default',
    title: 'Llama 3.1 8B Instruct',
    description: 'The default chat model.',
    annotations: {
      'aic.dev/model-card': './model-cards/llama.md',
      'backstage.io/managed-by-location': 'file:/repo/examples/models.yaml',
    },
  },
  spec: {
    type: 'llm',
    task: 'text-generation',
    lifecycle: 'production',
    owner: 'group:default/ml-platform',
    license: 'llama3.1',
    parameters: '8B',
    versions: [
      {
        version: '1.0.0',
        artifact: 'hf://meta/llama',
        default: true,
        metrics: { mmlu: 0.694, gsm8k: 0.845 },
      },
      {
        version: '1.0.0-awq-int4',
        artifact: 's3://acme/llama-int4',
        metrics: { mmlu: 0.681, gsm8k: 0.829 },
      },
    ],
    access: { policy: 'approval' },
    serving: {
      runtime: 'vllm',
      image: 'vllm/vllm-openai:v0.6.3',
      protocol: 'openai-v1',
      port: 8000,
      resources: { cpu: '4', memory: '32Gi', gpu: 1 },
      replicas: { min: 1, max: 3 },
    },
  },
};

async function renderContent(
  api: ReturnType<typeof fakeModelMarketplaceApi>,
  options: { bindTemplates?: boolean } = {},
) {
  const mountedRoutes: Record<
    string,
    typeof entityRouteRef | typeof scaffolderTemplateRouteRef
  > = { '/catalog/:namespace/:kind/:name': entityRouteRef };
  if (options.bindTemplates !== false) {
    mountedRoutes['/create/templates/:namespace/:templateName'] =
      scaffolderTemplateRouteRef;
  }
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [modelMarketplaceApiRef, api],
        [fetchApiRef, { fetch: jest.fn() }],
        [alertApiRef, { post: jest.fn(), alert$: jest.fn() }],
        [
          identityApiRef,
          {
            getBackstageIdentity: jest.fn().mockResolvedValue({
              type: 'user',
              userEntityRef: 'user:default/mia',
              ownershipEntityRefs: ['group:default/team-assistants'],
            }),
          },
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <ModelEntityContent />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes },
  );
}

function happyApi() {
  return fakeModelMarketplaceApi({
    getModel: jest
      .fn()
      .mockResolvedValue(modelDetails(modelSummary('llama-3-1-8b-instruct'))),
    listDeployments: jest.fn().mockResolvedValue({
      items: [
        {
          id: 'd1',
          model: 'model:default/llama-3-1-8b-instruct',
          version: '1.0.0',
          team: 'group:default/team-assistants',
          cluster: 'sandbox',
          namespace: 'team-assistants',
          workload: 'llama-3-1-8b-instruct-1-0-0',
          objects: [],
          status: 'deployed',
          endpoint: 'http://llama.team-assistants.svc:8000/v1',
          deployedBy: 'user:default/mia',
          createdAt: '2026-11-20T10:00:00Z',
          updatedAt: '2026-11-20T10:05:00Z',
          live: {
            state: 'ready',
            readyReplicas: 1,
            desiredReplicas: 1,
            checkedAt: '2026-11-20T10:06:00Z',
          },
        },
      ],
    }),
    listRequests: jest.fn().mockResolvedValue({ items: [], totalItems: 0 }),
  });
}

// rendering and typing into dialogs is slow on a busy machine
jest.setTimeout(30_000);

describe('ModelEntityContent', () => {
  it('shows the overview, versions with a chart, and deployments', async () => {
    const api = happyApi();
    await renderContent(api);

    expect(
      await screen.findByText('The default chat model.'),
    ).toBeInTheDocument();
    expect(screen.getByText('4 CPU · 32Gi · 1 GPU')).toBeInTheDocument();
    expect(screen.getByText('1–3')).toBeInTheDocument();
    expect(
      screen.getByText(/vllm · openai-v1 · port 8000/),
    ).toBeInTheDocument();

    const versions = screen.getByRole('table', { name: 'Versions' });
    // The backend's versions win over the entity's once loaded.
    expect(within(versions).getByText('0.690')).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: 'Metrics of 2 versions' }),
    ).toBeInTheDocument();

    const deployment = await screen.findByTestId('deployment-d1');
    expect(
      within(deployment).getByText('sandbox/team-assistants'),
    ).toBeInTheDocument();
    expect(within(deployment).getByText('Ready (1/1)')).toBeInTheDocument();
    expect(
      within(deployment).getByText('http://llama.team-assistants.svc:8000/v1'),
    ).toBeInTheDocument();
    expect(api.listDeployments).toHaveBeenCalledWith({
      model: 'model:default/llama-3-1-8b-instruct',
    });
    expect(
      await screen.findByText('No team has requested this model yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('./model-cards/llama.md')).toBeInTheDocument();
  });

  it('links Deploy to the deploy template with the model filled in', async () => {
    const api = happyApi();
    api.getModel.mockResolvedValue(
      modelDetails(modelSummary('llama-3-1-8b-instruct'), {
        viewer: {
          teams: ['group:default/team-assistants'],
          canRequest: true,
          isApprover: false,
          deploy: { teams: ['group:default/team-assistants'] },
        },
      }),
    );
    await renderContent(api);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Deploy' })).toHaveAttribute(
        'href',
      ),
    );
    const deploy = screen.getByRole('button', { name: 'Deploy' });
    const href = deploy.getAttribute('href')!;
    expect(
      href.startsWith('/create/templates/default/deploy-model?formData='),
    ).toBe(true);
    const formData = JSON.parse(
      decodeURIComponent(href.slice(href.indexOf('=') + 1)),
    );
    expect(formData).toEqual({ model: 'model:default/llama-3-1-8b-instruct' });
  });

  it.each([
    [
      'the access was revoked',
      'The access of team-assistants was revoked by helen.park: Licence audit failed',
    ],
    [
      'the user is in no team',
      'You are not a member of any team; a deploy goes into a namespace of your team',
    ],
    [
      'the request is pending',
      'The request of team-assistants is waiting for approval; you can deploy once it is approved',
    ],
  ])('disables Deploy and says why when %s', async (_case, reason) => {
    const api = happyApi();
    api.getModel.mockResolvedValue(
      modelDetails(modelSummary('llama-3-1-8b-instruct'), {
        viewer: {
          teams: [],
          canRequest: true,
          isApprover: false,
          deploy: { teams: [], reason },
        },
      }),
    );
    await renderContent(api);
    expect(
      await screen.findByText(`Deploy is not available: ${reason}`),
    ).toBeInTheDocument();
    const deploy = screen.getByRole('button', { name: 'Deploy' });
    expect(deploy).toBeDisabled();
    expect(deploy).not.toHaveAttribute('href');
  });

  it('keeps Deploy disabled until the backend has answered', async () => {
    const api = happyApi();
    let answer: (details: ReturnType<typeof modelDetails>) => void = () => {};
    api.getModel.mockReturnValue(
      new Promise(resolve => {
        answer = resolve;
      }),
    );
    await renderContent(api);
    expect(screen.getByRole('button', { name: 'Deploy' })).toBeDisabled();
    answer(
      modelDetails(modelSummary('llama-3-1-8b-instruct'), {
        viewer: {
          teams: ['group:default/team-assistants'],
          canRequest: true,
          isApprover: false,
          deploy: { teams: ['group:default/team-assistants'] },
        },
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Deploy' })).toHaveAttribute(
        'href',
      ),
    );
  });

  it('shows the model card at the full width, outside any scroll box', async () => {
    await renderContent(happyApi());
    const item = await screen.findByTestId('model-card-item');
    expect(item).toHaveClass('MuiGrid-grid-xs-12');
    expect(item.className).not.toMatch(/grid-md-/);
    expect(
      within(item).getByTestId('model-card-body').getAttribute('style'),
    ).toBeNull();
  });

  it('marks a discovered deployment and offers no action on it', async () => {
    const api = happyApi();
    api.listDeployments.mockResolvedValue({
      items: [
        {
          id: 'discovered:prod/ml-serving/InferenceService/llama-legacy',
          model: 'model:default/llama-3-1-8b-instruct',
          version: '1.0.0',
          team: '',
          cluster: 'prod',
          namespace: 'ml-serving',
          workload: 'llama-legacy',
          objects: [],
          status: 'deployed',
          endpoint: 'http://llama-legacy.ml-serving.example.com',
          deployedBy: 'kubernetes:discovered',
          createdAt: '2026-11-20T10:00:00Z',
          updatedAt: '2026-11-20T10:00:00Z',
          message:
            'discovered InferenceService, not managed by the marketplace (matched by storage-uri)',
          live: { state: 'ready', checkedAt: '2026-11-20T10:06:00Z' },
          managed: false,
          discovered: true,
        },
      ],
    });
    await renderContent(api);
    const row = await screen.findByTestId(
      'deployment-discovered:prod/ml-serving/InferenceService/llama-legacy',
    );
    expect(within(row).getByText('prod/ml-serving')).toBeInTheDocument();
    expect(
      within(row).getByText('discovered, not managed'),
    ).toBeInTheDocument();
    expect(within(row).queryByRole('button')).not.toBeInTheDocument();
  });

  it('offers no Deploy or Undeploy when the app binds no template page', async () => {
    await renderContent(happyApi(), { bindTemplates: false });
    await screen.findByTestId('deployment-d1');
    expect(screen.queryByRole('button', { name: /^Deploy/ })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Undeploy/ })).toBeNull();
  });

  it('offers Undeploy on each deployment row, opening the undeploy template with that deployment', async () => {
    await renderContent(happyApi());
    const row = await screen.findByTestId('deployment-d1');
    const undeploy = within(row).getByRole('button', {
      name: 'Undeploy from sandbox/team-assistants',
    });
    const href = undeploy.getAttribute('href')!;
    expect(
      href.startsWith('/create/templates/default/undeploy-model?formData='),
    ).toBe(true);
    expect(
      JSON.parse(decodeURIComponent(href.slice(href.indexOf('=') + 1))),
    ).toEqual({
      deploymentId: 'd1',
      model: 'model:default/llama-3-1-8b-instruct',
      team: 'group:default/team-assistants',
      cluster: 'sandbox',
      namespace: 'team-assistants',
    });
  });

  it('opens the request dialog with the viewer’s teams', async () => {
    await renderContent(happyApi());
    await userEvent.click(
      await screen.findByRole('button', { name: /Request for my team/ }),
    );
    const dialog = await screen.findByRole('dialog');
    await userEvent.click(within(dialog).getByLabelText('Team'));
    const options = within(screen.getByRole('listbox')).getAllByRole('option');
    expect(options.map(o => o.textContent)).toEqual([
      'team-assistants',
      'team-search',
    ]);
  });

  it('disables the request when the policy excludes the user’s teams', async () => {
    const api = happyApi();
    api.getModel.mockResolvedValue(
      modelDetails(modelSummary('llama-3-1-8b-instruct'), {
        viewer: {
          teams: ['group:default/team-vision'],
          canRequest: false,
          isApprover: false,
        },
      }),
    );
    await renderContent(api);
    const button = await screen.findByRole('button', {
      name: /Request for my team/,
    });
    await screen.findByText(/active deployments/);
    expect(button).toBeDisabled();
  });

  it('shows when the backend cannot be reached', async () => {
    const api = happyApi();
    api.getModel.mockRejectedValue(new Error('connection refused'));
    api.listDeployments.mockRejectedValue(new Error('connection refused'));
    await renderContent(api);
    expect(
      await screen.findByText(
        /Could not load the marketplace details: connection refused/,
      ),
    ).toBeInTheDocument();
    // The catalog data still shows.
    expect(screen.getByText('The default chat model.')).toBeInTheDocument();
  });
});
