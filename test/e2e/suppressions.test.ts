/**
 * The suppressions page's "Add" form in a real browser: a wrong address is refused at its field
 * (the API's 422 message), a right one is listed as added by hand with who added it and its note.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { consoleSuite } from './support/console-suite.ts';
import { newContext } from './support/browser.ts';
import { openPage, signIn, UI_TIMEOUT_MS } from './support/console-session.ts';

const ADMIN = { username: 'sam', password: 'Sam-e2e-Passwort-1', role: 'admin' as const };


const suite = consoleSuite([ADMIN]);

describe('suppressions page', () => {
  it('refuses a wrong address at its field and lists a right one as added by hand', async (ctx) => {
    if (suite.skipReason || !suite.browser) return ctx.skip(suite.skipReason);
    const page: Page = await signIn(await newContext(suite.browser), suite.rt.consoleUrl, ADMIN.username, ADMIN.password);
    await openPage(page, suite.rt.consoleUrl, 'admin/suppressions');
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
