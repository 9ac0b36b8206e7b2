import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import modelMarketplacePlugin from '@aic/plugin-model-marketplace/alpha';
import { modelMarketplaceApiRef } from '@aic/plugin-model-marketplace';
import { entityPageModule } from '.';

const model = {
  apiVersion: 'aic.dev/v1alpha1',
  kind: 'Model',
  metadata: { name: 'llama', namespace: 'default', title: 'Llama' },
  spec: { type: 'llm', owner: 'group:default/ml-platform', versions: [] },
};
const component = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'portal', namespace: 'default' },
  spec: { type: 'website', owner: 'group:default/ml-platform' },
};

// The marketplace's calls stay unanswered: the test is about the layout.
const pendingMarketplace = new Proxy(
  {},
  { get: () => () => new Promise(() => {}) },
) as any;

function renderEntityPage(path: string) {
  return renderTestApp({
    features: [catalogPlugin, modelMarketplacePlugin, entityPageModule],
    apis: [
      [catalogApiRef, catalogApiMock({ entities: [model, component] })],
      [modelMarketplaceApiRef, pendingMarketplace],
    ],
    initialRouteEntries: [path],
  });
}

// the catalog's pages load lazily; a busy machine needs generous bounds
jest.setTimeout(60_000);

/**
 * The entity page's tabs: the links of the header's list that holds the
 * current tab (the sidebar's "Catalog" item also links to the entity).
 */
function tabsOf(base: string) {
  const current = screen
    .getAllByRole('link')
    .find(
      a =>
        a.getAttribute('aria-current') === 'page' &&
        a.getAttribute('href')?.startsWith(base) &&
        a.closest('ul'),
    );
  const list = current?.closest('ul');
  return list ? within(list).getAllByRole('link') : [];
}

describe('the entity page of the app', () => {
  it('opens a Model on the Model tab, first, and keeps the Overview as a later tab', async () => {
    const base = '/catalog/default/model/llama';
    renderEntityPage(base);
    // the marketplace content is what shows at the entity's own URL
    expect(
      await screen.findByRole(
        'button',
        { name: /Request for my team/ },
        { timeout: 30_000 },
      ),
    ).toBeInTheDocument();
    const tabs = tabsOf(base);
    expect(tabs.map(t => t.textContent)).toEqual(['Model', 'Overview']);
    expect(tabs[0]).toHaveAttribute('href', base);
    expect(tabs[0]).toHaveAttribute('aria-current', 'page');
    expect(tabs[1]).toHaveAttribute('href', `${base}/overview`);

    await userEvent.click(tabs[1]);
    await waitFor(() =>
      expect(tabsOf(base)[1]).toHaveAttribute('aria-current', 'page'),
    );
    expect(
      screen.queryByRole('button', { name: /Request for my team/ }),
    ).toBeNull();
  });

  it('keeps the Overview at the entity URL on every other kind', async () => {
    const base = '/catalog/default/component/portal';
    renderEntityPage(base);
    await waitFor(() => expect(tabsOf(base).length).toBeGreaterThan(0), {
      timeout: 30_000,
    });
    const tabs = tabsOf(base);
    expect(tabs.map(t => t.textContent)).toEqual(['Overview']);
    expect(tabs[0]).toHaveAttribute('href', base);
    expect(tabs[0]).toHaveAttribute('aria-current', 'page');
  });
});
