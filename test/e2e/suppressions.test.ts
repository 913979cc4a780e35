/**
 * The suppressions page's "Add" form in a real browser: a wrong address is refused at its field
 * (the API's 422 message), a right one is listed as added by hand with who added it and its note.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, launchBrowser, newContext } from './support/browser.ts';
import { openPage, signIn, UI_TIMEOUT_MS } from './support/console-session.ts';
import { addUser, startConsoleRuntime, type ConsoleRuntime } from './support/runtime.ts';

const ADMIN = { username: 'sam', password: 'Sam-e2e-Passwort-1', role: 'admin' as const };

let rt: ConsoleRuntime;
let browser: Browser | undefined;
let skipReason: string | undefined;

beforeAll(async () => {
  skipReason = browserMissing();
  if (skipReason) return;
  rt = await startConsoleRuntime();
  skipReason = (await rt.consoleMissing()) ?? (await addUser(rt, ADMIN));
  if (skipReason) return;
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await rt?.stop();
});

describe('suppressions page', () => {
  it('refuses a wrong address at its field and lists a right one as added by hand', async (ctx) => {
    if (skipReason || !browser) return ctx.skip(skipReason);
    const page: Page = await signIn(await newContext(browser), rt.consoleUrl, ADMIN.username, ADMIN.password);
    await openPage(page, rt.consoleUrl, 'admin/suppressions');
    const form = page.getByRole('form', { name: 'Suppress an address' });

    await form.getByLabel('Address').fill('Quiet <quiet@customer.test>');
    await form.getByRole('button', { name: 'Add' }).click();
    await form.getByText('must be one bare e-mail address', { exact: false }).waitFor({ timeout: UI_TIMEOUT_MS });

    await form.getByLabel('Address').fill('quiet@customer.test');
    await form.getByLabel('Note (optional)').fill('asked by phone');
    await form.getByRole('button', { name: 'Add' }).click();
    const row = page.getByRole('row').filter({ hasText: 'quiet@customer.test' });
    await row.waitFor({ timeout: UI_TIMEOUT_MS });
    expect(await row.innerText()).toMatch(/added by hand[\s\S]*asked by phone · added by sam/);
  });
});
