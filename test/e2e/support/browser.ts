/**
 * The browser of the console's end-to-end tests: Debian's Chromium (`/usr/bin/chromium`, installed
 * by .ci/run) driven by playwright-core, which downloads no browser of its own. One browser per
 * test file; each role signs in in its own context (its own sessionStorage and cookies).
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext } from 'playwright-core';

/** Where Debian installs Chromium; POSTROOM_CHROMIUM overrides it. */
export const CHROMIUM_PATH = process.env.POSTROOM_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserMissing(): string | undefined {
  return existsSync(CHROMIUM_PATH) ? undefined : `no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set POSTROOM_CHROMIUM)`;
}

/**
 * Launches headless Chromium. `--no-sandbox`: CI runs as root, where Chromium's sandbox refuses to
 * start; the pages are our own console on loopback.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A fresh context in `locale` (Accept-Language and navigator.languages) with downloads allowed. @default locale 'en-US' */
export function newContext(browser: Browser, locale = 'en-US'): Promise<BrowserContext> {
  return browser.newContext({ locale, acceptDownloads: true, viewport: { width: 1280, height: 900 } });
}
