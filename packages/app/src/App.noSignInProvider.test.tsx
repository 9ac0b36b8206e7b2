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

describe('App without app.signInProviders', () => {
  jest.setTimeout(60_000);

  it('offers no guest sign-in when the config names no provider', async () => {
    withConfig({});
    render(App.createRoot());

    expect(
      await screen.findByText(/No sign-in provider is configured/, undefined, {
        timeout: 30_000,
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Guest')).toBeNull();
    expect(screen.queryByRole('button', { name: /enter/i })).toBeNull();
  });
});
