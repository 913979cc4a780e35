/**
 * Time from Next to the message shown in the console (issue 12 item 8), on the local runtime in
 * Debian's Chromium, beside the bare API calls the page makes for it, in the same run: POST
 * /agents/:me/next, GET /interactions/:id and GET /interactions/:id/content with the same token.
 * The difference is what the console adds (rendering, React Query, the lazy chunk once). Printed,
 * never asserted. Skips, saying why, when the runtime serves no console or no Chromium is there.
 *
 *   node --import tsx test/bench/console-next.bench.ts      (BENCH_SMALL=1: 5 samples each)
 */
import { percentile } from './acd-load.ts';
import { printRows } from './report.ts';
import { sendMail } from '../support/smtp-client.ts';
import { browserMissing, launchBrowser, newContext } from '../e2e/support/browser.ts';
import { signIn } from '../e2e/support/console-session.ts';
import { addUser, startConsoleRuntime, waitForWaiting } from '../e2e/support/runtime.ts';

const SAMPLES = process.env.BENCH_SMALL === '1' ? 5 : 20;
/** The first few Nexts load the lazy page and warm the runtime's handlers; not measured. */
const WARMUP = 3;
const AGENT = { username: 'bench', password: 'Bench-console-1', role: 'agent' as const };

const missing = browserMissing();
if (missing) {
  console.log(`skipped: ${missing}`);
  process.exit(0);
}
const rt = await startConsoleRuntime();
const browser = await launchBrowser();
try {
  const why = (await rt.consoleMissing()) ?? (await addUser(rt, AGENT));
  if (why) {
    console.log(`skipped: ${why}`);
  } else {
    const total = WARMUP + 2 * SAMPLES;
    for (let n = 0; n < total; n++) {
      await sendMail(rt.runtime.smtp.port, { from: `kunde${n}@kunden.example`, to: rt.supportAddress, subject: `Bench ${n}`, text: `Nachricht Nummer ${n}\n` });
    }
    await waitForWaiting(rt, total, 'default', 120_000);

    const page = await signIn(await newContext(browser), rt.consoleUrl, AGENT.username, AGENT.password);
    const next = page.getByRole('button', { name: 'Next', exact: true });
    const browserNext = async (): Promise<number> => {
      const before = page.url();
      const start = performance.now();
      await next.click();
      await page.waitForURL((url) => url.toString() !== before && /#\/workspace\/.+/.test(url.hash));
      await page.locator('pre.mail-text', { hasText: 'Nachricht Nummer' }).waitFor();
      return performance.now() - start;
    };
    for (let n = 0; n < WARMUP; n++) await browserNext();
    const inBrowser: number[] = [];
    for (let n = 0; n < SAMPLES; n++) inBrowser.push(await browserNext());

    // The token the page holds (sessionStorage; the bench reads it the way the page does).
    const token = await page.evaluate(() => {
      const storage = (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage;
      return (JSON.parse(storage.getItem('postroom.session') ?? '{}') as { accessToken?: string }).accessToken ?? '';
    });
    const call = async (method: string, path: string) => {
      const res = await fetch(`${rt.runtime.apiUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(method === 'POST' && { body: '{}' }) });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status}`);
      return res.json() as Promise<{ interaction: { id: string } }>;
    };
    const bare: number[] = [];
    for (let n = 0; n < SAMPLES; n++) {
      const start = performance.now();
      const { interaction } = await call('POST', `/agents/${AGENT.username}/next`);
      await Promise.all([call('GET', `/interactions/${interaction.id}`), call('GET', `/interactions/${interaction.id}/content?images=blocked`)]);
      bare.push(performance.now() - start);
    }
    printRows(`Next to the message shown (${SAMPLES} samples each, same run)`, [50, 90].map((p) => ({
      name: `Next -> message shown, p${p}`,
      ours: percentile(inBrowser, p),
      baseline: percentile(bare, p),
      unit: 'ms',
      note: 'baseline = next + interaction + content over fetch',
    })));
  }
} finally {
  await browser.close();
  await rt.stop();
}
