import { render, screen } from '@testing-library/react';
import App from './App';

function withConfig(app: Record<string, unknown>) {
  process.env = {
    NODE_ENV: 'test',
    APP_CONFIG: [
      {
        data: {
          app: { title: 'AI Model Marketplace', ...app },
          backend: { baseUrl: 'http://localhost:7007' },
        },
        context: 'test',
      },
    ] as any,
  };
}

// The app reads its config once per module load; the case without providers
// is in App.noSignInProvider.test.tsx.
describe('App', () => {
  jest.setTimeout(60_000);

  it('starts on the sign-in page with the providers the config names', async () => {
    withConfig({ signInProviders: ['guest'] });
    render(App.createRoot());

    expect(
      await screen.findByTestId('header-title', undefined, { timeout: 30_000 }),
    ).toHaveTextContent('AI Model Marketplace');
    expect(screen.getByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /enter/i })).toBeInTheDocument();
  });
});
