/**
 * The domain registry (issue 9 items 1, 2, 4): adds, removes, plans and checks the organisation's
 * e-mail domains for the API, the CLI and the CDK declaration alike. Ports are injected; no I/O here.
 *
 * Crash safety of `add`: the item is written first (`provisioning`, with whether the SES identity
 * existed before), then SES, then the intended Route 53 records are recorded before they are
 * written, then the item is completed. A crash anywhere leaves an item that names everything that
 * may exist, so a retry completes the add and a removal deletes only what Postroom created.
 */
import { ConflictError, NotFoundError, PermanentError, TransientError, ValidationError } from '../errors.ts';
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { checkDomain, planOf, type DomainCheckResult } from './domain-check.ts';
import { assertMayAddOver, assertUnderLimit, domainRequest, provisioningItem, settledDomain, staleRecords, unionRecords, type DomainInput, type DomainRequest } from './domain-setup.ts';
import type { Domain, DomainOwner, DomainStore, ReceiptRecipientsPort } from './domain.ts';
import type { DnsLookupPort, DnsPublisherPort, DnsRecordPlan, SesIdentityPort, SesIdentityStatus } from './model.ts';
import { DKIM_TOKEN_COUNT, recordPlan } from './record-plan.ts';
import { isSpfRecord } from './spf-record.ts';
import { buildSpf } from './spf.ts';

export type { DomainInput } from './domain-setup.ts';
/** What the registry works through. */
export interface DomainServiceDeps {
  readonly store: DomainStore;
  readonly ses: SesIdentityPort;
  /** Route 53; without it records are only printed (the local runtime). */
  readonly publisher?: DnsPublisherPort;
  /** The SES receipt rule's recipients; without it nothing is synced (the local receiver reads the store). */
  readonly recipients?: ReceiptRecipientsPort;
  /** DNS as the world sees it: the SPF a domain publishes now, and `check`. */
  readonly lookup?: DnsLookupPort;
  readonly region: string;
  /** DOMAIN_LIMITS.defaultMaxDomains unless the deployment sets postroom:maxDomains. */
  readonly maxDomains: number;
  readonly configurationSetName?: string;
  readonly now: () => Date;
  /** The addresses routed on a domain; a domain with any is not removed. @default none */
  readonly addressesOn?: (domain: string) => Promise<readonly string[]>;
  /** The SMTP servers that send for a domain (the outbound issue). @default none */
  readonly smtpSenders?: (domain: string) => readonly string[];
}

/** What `add` did. */
export interface AddedDomain {
  readonly domain: Domain;
  /** The records to publish, the SPF merged with what the domain publishes now. */
  readonly plan: DnsRecordPlan;
}

export class DomainService {
  constructor(private readonly deps: DomainServiceDeps) {}

  /**
   * Adds (or, for the stack's own domain or a half-done add, brings to `input`) a domain: the
   * SES identity, the records in Route 53 when a zone is given or found, then the receipt rule's
   * recipients. Published records are those of the plan but the optional DMARC suggestion.
   * @throws ValidationError on `name`, `mailFromDomain`, `dmarcReportAddress`, `hostedZoneId`, the
   *   `spf.*` fields, or `domain.limit-reached`; ConflictError `domain.exists` / `domain.owned-by-stack`
   */
  async add(input: DomainInput, owner: DomainOwner): Promise<AddedDomain> {
    const { store, ses, publisher } = this.deps;
    const request = domainRequest(input, this.deps.region);
    const existing = await store.get(request.name);
    if (existing) assertMayAddOver(existing, owner);
    else assertUnderLimit(await store.list(), this.deps.maxDomains);
    if (request.hostedZoneId !== undefined && !publisher) {
      throw new ValidationError({ hostedZoneId: 'this deployment does not publish to Route 53: publish the records by hand' });
    }
    const zone = request.hostedZoneId ?? (await publisher?.findZone(request.name));
    // Read before anything is written: a published SPF that cannot be merged is the admin's to fix first.
    const publishedTxt = zone ? await this.publishedTxt(request.name) : [];
    buildSpf({ sesSends: true, smtpSenders: this.deps.smtpSenders?.(request.name) ?? [], publishedTxt });

    let domain = existing ?? (await this.createItem(request, owner));
    const { status, created } = await ses.ensure({
      domain: request.name,
      mailFromDomain: request.mailFromDomain,
      ...(this.deps.configurationSetName !== undefined && { configurationSetName: this.deps.configurationSetName }),
    });
    if (status.dkimTokens.length !== DKIM_TOKEN_COUNT) {
      throw new TransientError('identity-pending', `SES gave ${status.dkimTokens.length} DKIM tokens for ${request.name}; run the add again`);
    }
    const plan = this.plan(request, status.dkimTokens, publishedTxt);
    const toPublish = zone ? plan.records.filter((r) => !r.optional) : [];
    const previous = { zone: domain.hostedZoneId, records: domain.publishedRecords };
    if (previous.zone !== zone) await this.unpublish(domain);
    const settled = settledDomain(domain, request, {
      zone,
      // Kept from the first add: once merged, what DNS shows is Postroom's own record.
      previousSpf: zone ? (domain.previousSpf ?? publishedTxt.find(isSpfRecord)) : undefined,
      created,
      dkimTokens: status.dkimTokens,
      published: toPublish,
    });
    // The intent is stored before Route 53 is written, so a crash leaves every written record named.
    const intended = previous.zone === zone ? unionRecords(previous.records, toPublish) : toPublish;
    domain = await this.write({ ...settled, publishedRecords: intended, provisioning: true }, domain.updatedAt);
    if (publisher && zone) {
      await publisher.upsert(zone, toPublish);
      const stale = previous.zone === zone ? staleRecords(previous.records, toPublish) : [];
      if (stale.length) await publisher.remove(zone, stale);
    }
    domain = await this.write(settled, domain.updatedAt);
    await this.syncRecipients();
    return { domain, plan };
  }

  /**
   * Removes a domain: its records from Route 53 (exactly those Postroom wrote), the SES identity
   * when Postroom created it, the item, then the receipt rule's recipients. The stack removing a
   * domain an admin added leaves it (`kept`): a deploy acts only on what it declared.
   * @throws NotFoundError `domain.not-found`; ConflictError `domain.owned-by-stack` (an admin
   *   removing a declared domain) or `domain.in-use` (address routes on it)
   */
  async remove(name: string, owner: DomainOwner): Promise<'removed' | 'kept'> {
    const { store, ses } = this.deps;
    const domain = await this.get(name);
    if (domain.owner !== owner) {
      if (owner === 'stack') return 'kept';
      throw new ConflictError(R.domainOwnedByStack, `domain ${domain.name} is declared by the deployment; remove it from postroom:domains and deploy (on the local runtime: from --domain, then restart)`);
    }
    const addresses = (await this.deps.addressesOn?.(domain.name)) ?? [];
    if (addresses.length) throw new ConflictError(R.domainInUse, `domain ${domain.name} has address routes: ${addresses.join(', ')}; remove them first`);
    await this.unpublish(domain);
    if (domain.sesIdentity === 'created') await ses.remove(domain.name);
    await store.delete(domain.name);
    await this.syncRecipients();
    return 'removed';
  }

  /** @throws NotFoundError `domain.not-found` */
  async get(name: string): Promise<Domain> {
    const domain = await this.deps.store.get(name.trim().toLowerCase().replace(/\.$/, ''));
    if (!domain) throw new NotFoundError(R.domainNotFound, 'domain', name);
    return domain;
  }

  /** The plan `check` compares the domain against (SPF not merged with DNS); undefined until SES gave the DKIM tokens. */
  checkPlan(domain: Domain): DnsRecordPlan | undefined {
    return domain.dkimTokens.length === DKIM_TOKEN_COUNT ? planOf(domain, this.deps.region, this.deps.smtpSenders?.(domain.name) ?? []) : undefined;
  }

  /** What SES says about the domain's identity now; undefined when SES has none. */
  sesStatus(name: string): Promise<SesIdentityStatus | undefined> {
    return this.deps.ses.status(name);
  }

  /** Every domain, by name. */
  list(): Promise<Domain[]> {
    return this.deps.store.list();
  }

  /**
   * The records to publish, for printing: the plan with the SPF merged with what the domain
   * publishes now. When that cannot be read or merged, the plain plan, with a note saying why.
   * @throws NotFoundError `domain.not-found`; ConflictError `domain.incomplete`
   */
  async records(name: string): Promise<DnsRecordPlan> {
    const domain = this.complete(await this.get(name));
    try {
      const publishedTxt = await this.publishedTxt(domain.name);
      return this.plan(domain, domain.dkimTokens, publishedTxt);
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof TransientError)) throw err;
      const plan = this.checkPlan(domain)!;
      const why = err instanceof ValidationError ? Object.values(err.fields).join('; ') : err.message;
      return { ...plan, notes: [...plan.notes, `The SPF record ${domain.name} publishes now is not merged into this plan: ${why}.`] };
    }
  }

  /**
   * Checks the domain now (domain-check.ts) and stores its status (a conditional update, retried
   * once over a concurrent change; a second conflict leaves the status to the next check).
   * @throws NotFoundError `domain.not-found`; ConflictError `domain.incomplete`
   */
  async check(name: string): Promise<DomainCheckResult> {
    const { lookup, store } = this.deps;
    if (!lookup) throw new PermanentError('dns-unavailable', 'this deployment has no DNS lookup to check domains with');
    let domain = this.complete(await this.get(name));
    for (let attempt = 0; ; attempt++) {
      const result = await checkDomain(domain, { ses: this.deps.ses, lookup, region: this.deps.region, now: this.deps.now, ...(this.deps.smtpSenders && { smtpSenders: this.deps.smtpSenders }) });
      const outcome = await store.update({ ...domain, status: result.status, updatedAt: result.status.checkedAt }, domain.updatedAt);
      if (outcome !== 'conflict' || attempt >= 1) return result;
      domain = this.complete(await this.get(name));
    }
  }

  private async createItem(request: DomainRequest, owner: DomainOwner): Promise<Domain> {
    // Asked before the item is written: whether Postroom creates the identity must survive a crash
    // between SES's create and the next write, after which SES would call it adopted.
    const existedBefore = (await this.deps.ses.status(request.name)) !== undefined;
    const domain = provisioningItem(request, owner, existedBefore, this.deps.now().toISOString());
    if ((await this.deps.store.create(domain)) === 'exists') throw new ConflictError(R.domainExists, `domain ${request.name} is being added already`);
    return domain;
  }

  /**
   * Takes the domain's records out of its zone, each only while it still holds what Postroom wrote.
   * The SPF the domain published before goes back only when Postroom's merged SPF was still there:
   * an SPF someone edited since is theirs, and is left as it is.
   */
  private async unpublish(domain: Domain): Promise<void> {
    const { hostedZoneId: zone, publishedRecords: records, previousSpf } = domain;
    if (!zone || records.length === 0) return;
    if (!this.deps.publisher) throw new PermanentError('dns-unavailable', `domain ${domain.name} has records in Route 53 zone ${zone}, and this deployment cannot reach Route 53`);
    const removed = await this.deps.publisher.remove(zone, records);
    const restore = previousSpf === undefined ? [] : removed.filter((r) => r.purpose === 'spf').map((r) => ({ ...r, values: [previousSpf] }));
    if (restore.length) await this.deps.publisher.upsert(zone, restore);
  }

  /** Replaces the item if unchanged since `expected`, with a new `updatedAt`. */
  private async write(domain: Domain, expected: string): Promise<Domain> {
    const next = { ...domain, updatedAt: this.deps.now().toISOString() };
    if ((await this.deps.store.update(next, expected)) !== 'updated') {
      throw new ConflictError(R.domainChanged, `domain ${domain.name} changed or was removed while it was set up; run the add again`);
    }
    return next;
  }

  private plan(request: Pick<DomainRequest, 'name' | 'mailFromDomain' | 'dmarcReportAddress'>, tokens: readonly string[], publishedTxt: readonly string[]): DnsRecordPlan {
    return recordPlan({
      domain: request.name,
      region: this.deps.region,
      dkimTokens: tokens,
      mailFromDomain: request.mailFromDomain,
      spf: { sesSends: true, smtpSenders: this.deps.smtpSenders?.(request.name) ?? [], publishedTxt },
      ...(request.dmarcReportAddress !== undefined && { dmarcReportAddress: request.dmarcReportAddress }),
    });
  }

  /** The TXT values at `name` now; a DNS failure is transient (the add or the records are retried). */
  private async publishedTxt(name: string): Promise<readonly string[]> {
    const answer = (await this.deps.lookup?.lookup(name, 'TXT')) ?? { kind: 'none' };
    if (answer.kind === 'error') throw new TransientError('dns-unavailable', `could not read the TXT records of ${name}: ${answer.message}`);
    return answer.kind === 'found' ? answer.values : [];
  }

  private complete(domain: Domain): Domain {
    if (domain.dkimTokens.length === DKIM_TOKEN_COUNT) return domain;
    throw new ConflictError(R.domainIncomplete, `domain ${domain.name} is not set up yet (SES has not given its DKIM tokens); run domain add again`);
  }

  private async syncRecipients(): Promise<void> {
    if (!this.deps.recipients) return;
    await this.deps.recipients.sync((await this.deps.store.list()).map((d) => d.name));
  }
}
