/**
 * The scheduled domain check in the local runtime (SPEC DOM-4), as the reconciler loop pairs
 * `runOnce` with a long-lived run: every interval, every stored domain is checked with the same
 * {@link checkDomain} the deployed scheduled check uses (its DNS records, and SES's view, here the
 * local SES identity stand-in reading the runtime's DNS servers) and its status stored, so
 * `domain list` shows a domain turn verified once its records are published.
 */
import { checkDomain, type DomainCheckDeps } from '../core/domains/domain-check.ts';
import type { Domain, DomainStore } from '../core/domains/domain.ts';

/** How often the periodic run happens; the deployed schedule's default is 15 minutes, a local newcomer waits less. */
export const LOCAL_DOMAIN_CHECK_INTERVAL_MS = 60_000;

export interface DomainCheckLoopOptions {
  readonly store: DomainStore;
  readonly check: DomainCheckDeps;
  readonly log: (line: string) => void;
  /** @default LOCAL_DOMAIN_CHECK_INTERVAL_MS */
  readonly intervalMs?: number;
}

/** What one run did. */
export interface DomainCheckReport {
  /** Domains whose status was stored. */
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

/** Checks every stored domain, one at a time (a local runtime serves a handful); one failure never stops the others. */
async function checkAll(o: DomainCheckLoopOptions): Promise<DomainCheckReport> {
  const stored: string[] = [];
  const failed: Array<{ name: string; message: string }> = [];
  for (const domain of await o.store.list()) {
    try {
      const outcome = await checkAndStore(o, domain);
      if (outcome === 'stored') stored.push(domain.name);
      if (outcome === 'conflict') failed.push({ name: domain.name, message: 'changed twice while being checked; the next run stores its status' });
    } catch (err) {
      failed.push({ name: domain.name, message: (err as Error).message });
    }
  }
  return { stored, failed };
}

/**
 * Checks `domain` and stores its status if the item is unchanged since it was read; when it
 * changed meanwhile (an edit, a `domain check`), reads it again and checks once more. `removed`
 * when the domain was deleted meanwhile.
 */
async function checkAndStore(o: DomainCheckLoopOptions, first: Domain): Promise<'stored' | 'removed' | 'conflict'> {
  let domain: Domain | undefined = first;
  for (let attempt = 0; attempt < 2 && domain; attempt++) {
    const { status } = await checkDomain(domain, o.check);
    const outcome = await o.store.update({ ...domain, status, updatedAt: status.checkedAt }, domain.updatedAt);
    if (outcome === 'updated') {
      logTransition(o.log, domain, status.verifiedForSending);
      return 'stored';
    }
    if (outcome === 'missing') return 'removed';
    domain = await o.store.get(first.name);
  }
  return domain ? 'conflict' : 'removed';
}

function logTransition(log: (line: string) => void, before: Domain, verified: boolean): void {
  const was = before.status?.verifiedForSending ?? false;
  if (verified && !was) log(`domain check: ${before.name} is verified for sending`);
  if (!verified && was) log(`domain check: ${before.name} is no longer verified for sending`);
}
