/**
 * The scheduled domain check in the local runtime (SPEC DOM-4), as the reconciler loop pairs
 * `runOnce` with a long-lived run: every interval, every stored domain is checked through the
 * registry's `check` (the same checkDomain the deployed scheduled check and `domain check` use: its
 * DNS records, and SES's view, here the local SES identity stand-in reading the runtime's DNS
 * servers) and its status stored, so `domain list` shows a domain turn verified once its records
 * are published.
 */
import type { Domain } from '../core/domains/domain.ts';
import type { DomainService } from '../core/domains/domain-service.ts';
import { NotFoundError } from '../core/errors.ts';

/** How often the periodic run happens; the deployed schedule's default is 15 minutes, a local newcomer waits less. */
export const LOCAL_DOMAIN_CHECK_INTERVAL_MS = 60_000;

export interface DomainCheckLoopOptions {
  /** The registry whose `check` checks a domain and stores its status (a conditional update, retried once). */
  readonly registry: Pick<DomainService, 'list' | 'check'>;
  readonly log: (line: string) => void;
  /** @default LOCAL_DOMAIN_CHECK_INTERVAL_MS */
  readonly intervalMs?: number;
}

/** What one run did. */
export interface DomainCheckReport {
  /** Domains that were checked (their status stored, unless it changed twice meanwhile). */
  readonly stored: readonly string[];
  /** Domains that could not be checked or stored, with why; the others were checked regardless. */
  readonly failed: ReadonlyArray<{ readonly name: string; readonly message: string }>;
}

export interface DomainCheckLoop {
  /** One run now, after any run in progress. */
  runOnce(): Promise<DomainCheckReport>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/**
 * Starts the periodic check; the first run starts now, in the background, so a restarted runtime
 * shows fresh statuses without waiting an interval. Runs never overlap.
 */
export function startDomainCheckLoop(o: DomainCheckLoopOptions): DomainCheckLoop {
  let running: Promise<unknown> = Promise.resolve();
  const runOnce = (): Promise<DomainCheckReport> => {
    const run = running.then(() => checkAll(o));
    running = run.then(
      (report) => {
        for (const f of report.failed) o.log(`domain check: ${f.name}: ${f.message}`);
      },
      (err: Error) => o.log(`domain check: run failed: ${err.message}`),
    );
    return run;
  };
  void runOnce().catch(() => undefined);
  const timer = setInterval(() => void runOnce().catch(() => undefined), o.intervalMs ?? LOCAL_DOMAIN_CHECK_INTERVAL_MS);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/**
 * Checks every stored domain through the registry, one at a time (a local runtime serves a
 * handful); one failure never stops the others. A domain still being added is left to the next run.
 */
async function checkAll(o: DomainCheckLoopOptions): Promise<DomainCheckReport> {
  const stored: string[] = [];
  const failed: Array<{ name: string; message: string }> = [];
  for (const domain of await o.registry.list()) {
    if (domain.provisioning) continue;
    try {
      const { status } = await o.registry.check(domain.name);
      stored.push(domain.name);
      logTransition(o.log, domain, status.verifiedForSending);
    } catch (err) {
      // Removed since the list: nothing to check.
      if (!(err instanceof NotFoundError)) failed.push({ name: domain.name, message: (err as Error).message });
    }
  }
  return { stored, failed };
}

function logTransition(log: (line: string) => void, before: Domain, verified: boolean): void {
  const was = before.status?.verifiedForSending ?? false;
  if (verified && !was) log(`domain check: ${before.name} is verified for sending`);
  if (!verified && was) log(`domain check: ${before.name} is no longer verified for sending`);
}
