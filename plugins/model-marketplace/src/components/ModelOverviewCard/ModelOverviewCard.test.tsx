import { screen, within } from '@testing-library/react';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import type { ModelEntityV1alpha1 } from '@aic/plugin-model-marketplace-common';
import { modelDetails, modelSummary } from '../../testing';
import { ModelOverviewCard } from './ModelOverviewCard';

jest.setTimeout(60_000);

const routes = {
  mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
};

/** The card's description lists: about, access and serving. */
function descriptionLists() {
  return Array.from(document.querySelectorAll('dl'));
}

/** The definitions of a list by their terms (texts). */
function items(list: HTMLElement) {
  return Object.fromEntries(
    within(list)
      .getAllByRole('term')
      .map(t => [t.textContent, t.nextElementSibling as HTMLElement]),
  );
}

const full: ModelEntityV1alpha1 = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama-guard', namespace: 'default' },
  spec: {
    type: 'llm',
    lifecycle: 'production',
    owner: 'ml-platform',
    system: 'safety',
    framework: 'pytorch',
    languages: ['en', 'de'],
    license: 'llama3',
    licenseUrl: 'https://licences.example.org/llama3',
    baseModel: 'llama-3-8b',
    datasets: ['toxic-chat', 'resource:ml/harmbench'],
    versions: [{ version: '1', artifact: 'hf://x', default: true }],
    access: {
      policy: 'restricted',
      approvers: ['group:default/ml-platform'],
      allowedGroups: ['team-a', 'team-b'],
      termsUrl: 'https://terms.example.org/llama',
    },
    serving: {
      runtime: 'vllm',
      image: 'vllm/vllm-openai:v0.6.3',
      modelFormat: 'safetensors',
      resources: { cpu: '4', memory: '16Gi' },
      replicas: { min: 1, max: 1 },
    },
  },
} as ModelEntityV1alpha1;

describe('ModelOverviewCard', () => {
  it('shows everything a model says about itself, with links', async () => {
    await renderInTestApp(<ModelOverviewCard entity={full} />, routes);
    const [about, access, serving] = descriptionLists();
    const a = items(about);
    expect(a.System).toHaveTextContent('safety');
    expect(within(a.System).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/system/safety',
    );
    expect(a.Framework).toHaveTextContent('pytorch');
    expect(a.Languages).toHaveTextContent('en, de');
    expect(
      within(a.Licence).getByRole('link', { name: /llama3/ }),
    ).toHaveAttribute('href', 'https://licences.example.org/llama3');
    expect(within(a['Base model']).getByRole('link')).toHaveAttribute(
      'href',
      '/catalog/default/model/llama-3-8b',
    );
    expect(a.Datasets).toHaveTextContent('toxic-chat, ml/harmbench');
    expect(a.Parameters).toBeUndefined();

    const b = items(access);
    expect(b['Allowed groups']).toHaveTextContent('team-a, team-b');
    expect(
      within(b.Terms).getByRole('link', { name: /Terms of use/ }),
    ).toHaveAttribute('href', 'https://terms.example.org/llama');

    const c = items(serving);
    expect(c.Runtime).toHaveTextContent(/^vllm$/);
    expect(c.Image).toHaveTextContent('vllm/vllm-openai:v0.6.3');
    expect(c['Model format']).toHaveTextContent('safetensors');
  });

  it('falls back to the owner as approver, and says when a model cannot be served', async () => {
    const bare = {
      ...full,
      metadata: { name: 'bare', namespace: 'default' },
      spec: {
        type: 'embedding',
        lifecycle: 'experimental',
        owner: 'group:default/team-search',
        versions: full.spec.versions,
      },
    } as ModelEntityV1alpha1;
    await renderInTestApp(<ModelOverviewCard entity={bare} />, routes);
    const [about, access] = descriptionLists();
    const a = items(about);
    expect(Object.keys(a)).toEqual(['Type', 'Owner', 'Lifecycle', 'Licence']);
    expect(a.Licence).toHaveTextContent('—');
    const b = items(access);
    expect(Object.keys(b)).toEqual(['Policy', 'Approvers']);
    expect(b.Approvers).toHaveTextContent('team-search');
    expect(
      screen.getByText(/does not say how it is served/),
    ).toBeInTheDocument();
  });

  it("prefers the backend's approvers, groups and terms over the entity's", async () => {
    const details = modelDetails(modelSummary('llama-guard'), {
      approvers: ['group:default/security', 'group:default/legal'],
      allowedGroups: ['group:default/team-c'],
      termsUrl: 'https://terms.example.org/v2',
    });
    await renderInTestApp(
      <ModelOverviewCard
        entity={{
          ...full,
          spec: {
            ...full.spec,
            licenseUrl: 'https://l.example.org',
            license: undefined,
          },
        }}
        details={details}
      />,
      routes,
    );
    const [about, access] = descriptionLists();
    expect(
      within(items(about).Licence).getByRole('link', {
        name: /l\.example\.org/,
      }),
    ).toBeInTheDocument();
    const b = items(access);
    expect(b.Approvers).toHaveTextContent('security, legal');
    expect(b['Allowed groups']).toHaveTextContent(/^team-c$/);
    expect(within(b.Terms).getByRole('link')).toHaveAttribute(
      'href',
      'https://terms.example.org/v2',
    );
  });
});
