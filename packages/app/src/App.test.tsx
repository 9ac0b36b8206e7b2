import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
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
      await screen.findByText('AI Model Marketplace', undefined, {
        timeout: 15000,
      }),
    ).toBeInTheDocument();
    expect(await screen.findByText('Guest')).toBeInTheDocument();
  });
});
