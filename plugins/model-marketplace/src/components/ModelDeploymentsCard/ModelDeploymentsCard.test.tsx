import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import type {
  DeploymentRecord,
  ModelEntityV1alpha1,
} from '@aic/plugin-model-marketplace-common';
import { modelMarketplaceApiRef } from '../../api';
import { fakeModelMarketplaceApi } from '../../testing';
import { ModelDeploymentsCard } from './ModelDeploymentsCard';

const model = (serving: ModelEntityV1alpha1['spec']['serving']) =>
  ({
    apiVersion: 'aic.dev/v1alpha1',
    kind: 'Model',
    metadata: { name: 'llama', namespace: 'default' },
    spec: {
      type: 'llm',
      lifecycle: 'production',
      owner: 'ml-platform',
      versions: [{ version: '1.0.0', artifact: 'hf://a/b', default: true }],
      serving,
    },
  } as ModelEntityV1alpha1);

const deployment = (over: Partial<DeploymentRecord>): DeploymentRecord => ({
  id: 'd1',
  model: 'model:default/llama',
  version: '1.0.0',
  team: 'group:default/team-search',
  cluster: 'sandbox',
  namespace: 'team-search',
  workload: 'llama-1-0-0',
  objects: [],
  status: 'deployed',
  endpoint: 'http://llama-1-0-0.team-search.svc.cluster.local:8000',
  deployedBy: 'user:default/daniel.okafor',
  createdAt: '2026-11-20T10:00:00Z',
  updatedAt: '2026-11-21T10:00:00Z',
  live: { state: 'ready', checkedAt: '2026-11-21T10:00:00Z' },
  ...over,
});

async function renderCard(
  items: DeploymentRecord[],
  entity: ModelEntityV1alpha1,
) {
  const api = fakeModelMarketplaceApi({
    listDeployments: jest.fn().mockResolvedValue({ items }),
  });
  await renderInTestApp(
    <TestApiProvider apis={[[modelMarketplaceApiRef, api]]}>
      <ModelDeploymentsCard
        modelRef="model:default/llama"
        model={entity}
        pollMs={0}
      />
    </TestApiProvider>,
  );
}

describe('ModelDeploymentsCard', () => {
  it('shows who deployed when, the live status and an OpenAI call for vLLM', async () => {
    await renderCard(
      [deployment({}), deployment({ id: 'd2', status: 'deploying' })],
      model({ runtime: 'vllm', image: 'vllm/vllm-openai:v0.6.3' }),
    );
    const row = await screen.findByTestId('deployment-d1');
    expect(within(row).getByText('daniel.okafor')).toBeInTheDocument();
    expect(
      within(row).getByText(new Date('2026-11-20T10:00:00Z').toLocaleString()),
    ).toBeInTheDocument();
    expect(within(row).getByText(/ready/i)).toBeInTheDocument();
    // no example call for a deploy still running
    expect(
      within(screen.getByTestId('deployment-d2')).queryByText('Example call'),
    ).toBeNull();

    await userEvent.click(within(row).getByText('Example call'));
    const call = await screen.findByLabelText('Example call');
    expect(
      within(call).getByText('OpenAI-compatible chat completions'),
    ).toBeInTheDocument();
    const code = call.querySelector('code')!.textContent!;
    expect(code).toContain(
      "curl -sS -X POST 'http://llama-1-0-0.team-search.svc.cluster.local:8000/v1/chat/completions'",
    );
    expect(code).toContain('"model": "llama"');
    expect(
      within(call).getByRole('button', { name: 'Copy the example call' }),
    ).toBeInTheDocument();
  });

  it('writes the KServe v2 call for an InferenceService speaking v2-inference', async () => {
    await renderCard(
      [
        deployment({
          workload: 'jina-2-0-0',
          endpoint: 'http://jina-2-0-0.team-search.example.com',
        }),
      ],
      model({ runtime: 'kserve', protocol: 'v2-inference' }),
    );
    await userEvent.click(await screen.findByText('Example call'));
    const call = await screen.findByLabelText('Example call');
    expect(
      within(call).getByText('KServe v2 (Open Inference Protocol)'),
    ).toBeInTheDocument();
    expect(call.querySelector('code')!.textContent).toContain(
      "'http://jina-2-0-0.team-search.example.com/v2/models/jina-2-0-0/infer'",
    );
  });
});
