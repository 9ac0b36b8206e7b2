import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  jest.setTimeout(60_000);

  it('starts on the sign-in page with the guest provider', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'AI Model Marketplace' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    expect(
      await screen.findByTestId('header-title', undefined, { timeout: 30_000 }),
    ).toHaveTextContent('AI Model Marketplace');
    expect(screen.getByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /enter/i })).toBeInTheDocument();
  });
});
