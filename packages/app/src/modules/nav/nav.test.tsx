import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderTestApp } from '@backstage/frontend-test-utils';
import modelMarketplacePlugin from '@aic/plugin-model-marketplace/alpha';
import { modelMarketplaceApiRef } from '@aic/plugin-model-marketplace';
import { notificationsApiRef } from '@backstage/plugin-notifications';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import { navModule } from '.';

// The marketplace's calls stay unanswered: the test is about the sidebar.
const pendingMarketplace = new Proxy(
  {},
  { get: () => () => new Promise(() => {}) },
) as any;

// the app's pages load lazily; a busy machine needs generous bounds
jest.setTimeout(60_000);

describe("the app's sidebar", () => {
  // Unpinned, the sidebar stays closed until the pointer is on it.
  beforeEach(() => localStorage.setItem('sidebarPinState', 'false'));
  afterEach(() => localStorage.clear());

  it('links home from the logo and lists the Models page', async () => {
    renderTestApp({
      features: [navModule, modelMarketplacePlugin, notificationsPlugin],
      apis: [
        [modelMarketplaceApiRef, pendingMarketplace],
        [
          notificationsApiRef,
          {
            getStatus: jest.fn().mockResolvedValue({ unread: 3, read: 0 }),
          } as any,
        ],
      ],
      initialRouteEntries: ['/models'],
    });
    const home = await screen.findByRole(
      'link',
      { name: 'Home' },
      { timeout: 30_000 },
    );
    expect(home).toHaveAttribute('href', '/');
    // Closed, the sidebar shows the small logo; open, the full one.
    expect(home.querySelector('svg')).toHaveAttribute(
      'viewBox',
      '0 0 337.46 428.5',
    );
    const nav = screen.getByRole('navigation', { name: 'sidebar nav' });
    const models = within(nav).getByRole('link', { name: /Models/ });
    expect(models).toHaveAttribute('href', '/models');
    expect(
      within(nav).getByRole('button', { name: /Search/ }),
    ).toBeInTheDocument();

    await userEvent.hover(nav.firstElementChild ?? nav);
    await waitFor(() =>
      expect(home.querySelector('svg')).toHaveAttribute(
        'viewBox',
        '0 0 2079.95 456.05',
      ),
    );
  });
});
