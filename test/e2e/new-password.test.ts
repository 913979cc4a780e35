/**
 * A temporary password in a real browser: a user the CLI added without `--password` signs in with
 * the printed password, gets the "choose a new password" step (no serious accessibility violation,
 * the refusal said at its field), chooses one and lands in the console; the Users page shows a user
 * who has not yet chosen as "must change password".
 */
import { describe, expect, it } from 'vitest';
import { consoleSuite } from './support/console-suite.ts';
import { seriousViolations } from './support/axe.ts';
import { newContext } from './support/browser.ts';
import { openPage, UI_TIMEOUT_MS } from './support/console-session.ts';


/** Adds `username` with a generated temporary password (printed once by the CLI) and returns it. */
async function invite(username: string): Promise<string> {
  const made = await suite.rt.postroom('user', 'add', username, '--role', 'admin');
  const password = /Temporary password \(shown once\): (\S+)/.exec(made.out)?.[1];
  if (!password) throw new Error(`user add printed no temporary password: ${made.err || made.out}`);
  return password;
}

const suite = consoleSuite([]);

describe('a temporary password in the browser', () => {
  it('asks for a new password before the console opens, and says a refusal at its field', async (ctx) => {
    if (suite.skipReason || !suite.browser) return ctx.skip(suite.skipReason);
    const temporary = await invite('nora');
    await invite('otto');
    const page = await (await newContext(suite.browser, 'de-DE')).newPage();
    page.setDefaultTimeout(UI_TIMEOUT_MS);
    await page.goto(suite.rt.consoleUrl);
    await page.fill('#username', 'nora');
    await page.fill('#password', temporary);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Neues Passwort wählen', level: 1 }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#new_password', 'nurkleinbuchstaben');
    await page.fill('#confirm_password', 'nurkleinbuchstaben');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#new_password').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#new_password-error').textContent()).toContain('Das Passwort braucht einen Großbuchstaben (A-Z).');
    expect(await seriousViolations(page)).toEqual([]);

    await page.fill('#new_password', 'Noras-Passwort-2026');
    await page.fill('#confirm_password', 'Noras-Passwort-2026');
    await Promise.all([page.waitForURL((url) => url.pathname.endsWith('/console/') && !url.search.includes('code=')), page.click('button[type=submit]')]);
    await page.locator('.app-user').getByText('nora').waitFor();

    await openPage(page, suite.rt.consoleUrl, 'admin/users');
    await page.getByRole('cell', { name: 'aktiviert (muss Passwort ändern)' }).waitFor();
    expect(await page.getByRole('cell', { name: 'aktiviert (muss Passwort ändern)' }).count()).toBe(1);
    const list = await suite.rt.postroom('user', 'list');
    expect(list.out).toMatch(/nora\s+admin\s+yes\s+active/);
    expect(list.out).toMatch(/otto\s+admin\s+yes\s+must change password/);
  });
});
