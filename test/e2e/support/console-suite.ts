/**
 * The set-up every console e2e file shares: one local runtime and one Chromium for the whole file
 * (started in beforeAll, stopped in afterAll), its users added as an admin adds them, and the reason
 * to skip when this machine has no browser or the console is not built.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { browserMissing, launchBrowser } from './browser.ts';
import { addUser, startConsoleRuntime, type ConsoleRuntime } from './runtime.ts';

/** What {@link consoleSuite} started; read it inside tests (it is set once beforeAll ran). */
export interface ConsoleSuite {
  readonly rt: ConsoleRuntime;
  readonly browser: Browser | undefined;
  /** Why the file's tests skip (no browser, console not built, a user the CLI could not add), or undefined. */
  readonly skipReason: string | undefined;
}

/**
 * Registers the file's beforeAll/afterAll: starts the runtime, adds `users` (addUser: permanent
 * passwords), launches the browser, then runs `ready` (mail to send, records to wait for).
 */
export function consoleSuite(users: readonly Parameters<typeof addUser>[1][] = [], ready?: (rt: ConsoleRuntime) => Promise<void>): ConsoleSuite {
  const suite: { rt?: ConsoleRuntime; browser?: Browser; skipReason?: string } = {};
  beforeAll(async () => {
    suite.skipReason = browserMissing();
    if (suite.skipReason) return;
    const rt = (suite.rt = await startConsoleRuntime());
    suite.skipReason = await rt.consoleMissing();
    for (const user of users) suite.skipReason ??= await addUser(rt, user);
    if (suite.skipReason) return;
    suite.browser = await launchBrowser();
    await ready?.(rt);
  }, 120_000);
  afterAll(async () => {
    await suite.browser?.close();
    await suite.rt?.stop();
  });
  return {
    get rt() {
      return suite.rt!;
    },
    get browser() {
      return suite.browser;
    },
    get skipReason() {
      return suite.skipReason;
    },
  };
}
