import type { Page } from '@playwright/test';

/**
 * Signs in as an example catalog user. The local demo (development only)
 * signs in as the user named by `?as=<name>` through the backend's
 * `devUser` provider and remembers the choice in the browser's storage;
 * each Playwright context starts with empty storage, so one context is one
 * user.
 */
export async function signInAs(page: Page, user: string, path = '/') {
  const separator = path.includes('?') ? '&' : '?';
  await page.goto(`${path}${separator}as=${encodeURIComponent(user)}`);
  // The sidebar shows once the app is signed in.
  await page.getByRole('link', { name: 'Models' }).first().waitFor();
}
