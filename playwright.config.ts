/*
 * End-to-end tests of the model marketplace: Playwright drives Debian's
 * Chromium (/usr/bin/chromium, never a downloaded browser) against the
 * local demo (backend, app and Kubernetes sandbox from `yarn start`).
 *
 *   yarn test:e2e            # starts the demo unless one already answers
 *   E2E_BASE_URL=http://localhost:3000 yarn test:e2e   # reuse a running demo
 *
 * Environment:
 *   E2E_BASE_URL     the app (default http://localhost:3000)
 *   E2E_NO_SERVER=1  do not start the demo; it must already be running
 *   CHROMIUM_PATH    the browser (default /usr/bin/chromium)
 *   E2E_README_SHOTS=1 also rewrite the README's screenshots in
 *                    docs/screenshots/ (model page, deployment with its
 *                    example call, Compare, request dialog with questions)
 *   AIC_KUBE=testenv the demo runs on the real control plane of
 *                    packages/kubernetes-testenv (as .ci/run does); the
 *                    Kubernetes-tab step needs it
 *
 * Screenshots of every step go to test-results/ (the CI artifact).
 */
import { defineConfig } from '@playwright/test';

const baseURL = process.env.E2E_BASE_URL ?? 'http://localhost:3000';

export default defineConfig({
  testDir: './packages/app/e2e-tests',
  outputDir: './test-results',
  timeout: 5 * 60_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }],
  ],
  use: {
    baseURL,
    viewport: { width: 1440, height: 1000 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    actionTimeout: 30_000,
    // a dev-server page is about 30 MB of JavaScript; slow on a busy 2-core machine
    navigationTimeout: 180_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: process.env.E2E_NO_SERVER
    ? undefined
    : {
        // The demo: Kubernetes sandbox, backend on 7007 and app on 3000.
        command: 'SANDBOX_ROLLOUT_DELAY_MS=2000 node scripts/start-demo.js',
        url: baseURL,
        reuseExistingServer: true,
        timeout: 5 * 60_000,
        stdout: 'pipe',
        stderr: 'pipe',
        // let start-demo stop Backstage and the control plane it started
        gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
      },
});
