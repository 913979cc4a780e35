/** The console header's layout at a laptop's window, measured in the browser. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * The header's navigation is one row at a 1280x800 window in every language: each entry and the
 * signed-in block sit on the same line (it wrapped to two rows with every page listed inline).
 */
export async function expectOneRow(page: Page): Promise<void> {
  const size = page.viewportSize();
  await page.setViewportSize({ width: 1280, height: 800 });
  // By its place, not its name: the name is in the language it switches.
  const language = page.locator('.lang-switch select');
  for (const locale of ['de', 'ja', 'en']) {
    await language.selectOption(locale);
    await page.waitForFunction(`document.documentElement.lang === ${JSON.stringify(locale)}`);
    // Every visible entry of the header (whatever the nav's markup), by the centre of its box.
    const boxes = await Promise.all((await page.locator('.app-title, .app-user, .app-nav a:visible, .app-nav button:visible').all()).map((l) => l.boundingBox()));
    const centres = boxes.filter((b) => b !== null).map((b) => Math.round(b.y + b.height / 2));
    const rows = { centres: [...new Set(centres)], navHeight: (await page.locator('.app-nav').boundingBox())!.height, entries: centres.length };
    expect(rows.entries, locale).toBeGreaterThan(3);
    expect(Math.max(...rows.centres) - Math.min(...rows.centres), `${locale}: header items on one row (${JSON.stringify(rows)})`).toBeLessThanOrEqual(4);
    expect(rows.navHeight, `${locale}: nav one row high`).toBeLessThan(48);
  }
  if (size) await page.setViewportSize(size);
}
