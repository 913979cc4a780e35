/**
 * The scheduled domain check (issue 9 item 5): every stored domain checked, its status stored,
 * events announced for what changed, and the receipt rule's recipients repaired. One failing
 * domain never stops the others; I/O only through the ports.
 */
import { checkDomain, type DomainCheckDeps } from './domain-check.ts';
import { domainEvents, type DomainEvent, type DomainEventSink } from './domain-events.ts';
import type { Domain, DomainStore, ReceiptRecipientsPort } from './domain.ts';

/**
 * Domains checked at once. Each check makes one SES GetEmailIdentity call (SES v2 allows about
 * one per second per account by default, with bursts) and a dozen DNS lookups; 4 keeps a run of
 * the 100-domain ceiling well inside the function's timeout without tripping SES throttling.
 */
export const DOMAIN_CHECK_CONCURRENCY = 4;

/** What a run reads and writes through. */
export interface ScheduledCheckDeps extends DomainCheckDeps {
  readonly store: DomainStore;
  readonly recipients: ReceiptRecipientsPort;
  readonly events: DomainEventSink;
  /** @default DOMAIN_CHECK_CONCURRENCY */
  readonly concurrency?: number;
}

/** What one run did, for the log and the metrics. */
export interface ScheduledCheckReport {
  readonly checked: number;
  /** Domains whose stored status says SES may not send from them (after this run). */
  readonly unverified: number;
  /** The events of the statuses this run stored (and published). */
  readonly events: readonly DomainEvent[];
  /** Domains or steps that failed, with the reason; the run went on. */
  readonly failures: readonly { readonly domain: string; readonly error: string }[];
}

/**
 * Checks every stored domain, `concurrency` at a time. Each status is stored with a conditional
 * update (the `updatedAt` read); on a conflict (an admin changed the domain meanwhile) the domain
 * is read and checked once more; a domain removed meanwhile is skipped. Events are computed from
 * the status the last run announced (`announcedStatus`, which a manual check leaves alone) and published only after the store accepted the new one, so a
 * retried or overlapping run never announces the same transition twice. Finally the receipt
 * rule's recipients are set to the stored names (repairing a sync that failed at add or remove).
 */
export async function runScheduledCheck(deps: ScheduledCheckDeps): Promise<ScheduledCheckReport> {
  const domains = await deps.store.list();
  const events: DomainEvent[] = [];
  const failures: { domain: string; error: string }[] = [];
  let unverified = 0;
  await eachLimited(domains, deps.concurrency ?? DOMAIN_CHECK_CONCURRENCY, async (domain) => {
    try {
      const stored = await checkAndStore(domain, deps);
      if (!stored) return;
      if (!stored.status.verifiedForSending) unverified += 1;
      if (stored.events.length === 0) return;
      events.push(...stored.events);
      await deps.events.publish(stored.events);
    } catch (err) {
      failures.push({ domain: domain.name, error: messageOf(err) });
    }
  });
  try {
    await deps.recipients.sync(domains.map((d) => d.name));
  } catch (err) {
    failures.push({ domain: '(receipt rule recipients)', error: messageOf(err) });
  }
  return { checked: domains.length, unverified, events, failures };
}

/** The stored status and its events, or undefined when the domain is gone. Two attempts; throws on a second conflict. */
async function checkAndStore(first: Domain, deps: ScheduledCheckDeps): Promise<{ status: NonNullable<Domain['status']>; events: DomainEvent[] } | undefined> {
  let domain: Domain | undefined = first;
  for (let attempt = 0; attempt < 2 && domain; attempt += 1) {
    const { status } = await checkDomain(domain, deps);
    const next: Domain = { ...domain, status, announcedStatus: status, updatedAt: deps.now().toISOString() };
    const outcome = await deps.store.update(next, domain.updatedAt);
    if (outcome === 'updated') return { status, events: domainEvents(domain.announcedStatus, status, domain.name) };
    if (outcome === 'missing') return undefined;
    domain = await deps.store.get(domain.name);
  }
  if (!domain) return undefined;
  throw new Error(`${first.name} changed twice while it was being checked; the next run checks it again`);
}

/** Runs `work` for every item, at most `limit` at once. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
