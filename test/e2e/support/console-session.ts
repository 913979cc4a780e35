/**
 * Signing in to the console through the local runtime's own sign-in page (the local issuer,
 * authorization code + PKCE, exactly as a user does), and small waits the tests share.
 */
import type { BrowserContext, Page } from 'playwright-core';

/** How long a page may take to show what a test waits for (a cold runtime, two cores). */
export const UI_TIMEOUT_MS = 20_000;

/**
 * Opens the console at `consoleUrl` in `context`, signs in as `username` on the sign-in page the
 * console redirects to, and returns the page once the console shows who is signed in.
 */
export async function signIn(context: BrowserContext, consoleUrl: string, username: string, password: string): Promise<Page> {
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT_MS);
  await page.goto(consoleUrl);
  await page.waitForSelector('#username');
  await page.fill('#username', username);
  await page.fill('#password', password);
  await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/console/') && !url.search.includes('code=')), page.click('button[type=submit]')]);
  await page.locator('.app-user').getByText(username).waitFor();
  return page;
}

/** Opens `#/<path>` of the console in `page` and waits for its h1. */
export async function openPage(page: Page, consoleUrl: string, path: string): Promise<void> {
  await page.goto(`${consoleUrl}#/${path}`);
  await page.locator('main h1').first().waitFor();
}
