/**
 * The checks and record arithmetic the domain registry (domain-service.ts) runs before and while it
 * sets a domain up: the admin's input checked with the record plan's own rules (so the API and the
 * plan say the same about a bad name), the organisation's domain limit, who may add over whom, and
 * which published records a change leaves behind. Pure functions.
 */
import { ConflictError, ValidationError } from '../errors.ts';
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { assertNoProblems, problem } from '../field-problems.ts';
import type { Domain, DomainOwner } from './domain.ts';
import type { DnsRecord } from './model.ts';
import { DKIM_TOKEN_COUNT, recordPlan } from './record-plan.ts';

/** What an admin (or the CDK declaration) asks for when adding a domain. */
export interface DomainInput {
  /** The domain, e.g. `support.example.com`; lower-cased, one trailing dot dropped. */
  readonly name: string;
  /** @default `bounce.<name>` */
  readonly mailFromDomain?: string;
  /** The Route 53 hosted zone to publish the records to. @default the zone found by the name, else none (records are printed) */
  readonly hostedZoneId?: string;
  /** Where DMARC aggregate reports go. @default none */
  readonly dmarcReportAddress?: string;
}

/** The input with names normalised as DNS compares them and the MAIL FROM default applied. */
export interface DomainRequest {
  readonly name: string;
  readonly mailFromDomain: string;
  readonly hostedZoneId?: string;
  readonly dmarcReportAddress?: string;
}

/**
 * A DKIM token as long as SES's (32 characters): the plan's name-length rule is checked with it
 * before SES has given the real ones, so a name too long for its DKIM records is refused up front.
 */
const PLACEHOLDER_TOKEN = 'x'.repeat(32);

/** The plan's field names and the API's: the plan says `domain`, the API body says `name`. */
const FIELD_OF: Readonly<Record<string, string>> = { domain: 'name' };

/**
 * Normalises and checks `input` with the record plan's rules (recordPlan's reasons:
 * `domain.name-invalid`, `domain.mail-from-not-subdomain`, `address.malformed`).
 * @throws ValidationError on `name`, `mailFromDomain`, `dmarcReportAddress`
 */
export function domainRequest(input: DomainInput, region: string): DomainRequest {
  const name = dnsName(input.name);
  const mailFromDomain = dnsName(input.mailFromDomain ?? `bounce.${name}`);
  try {
    recordPlan({
      domain: name,
      region,
      dkimTokens: Array.from({ length: DKIM_TOKEN_COUNT }, () => PLACEHOLDER_TOKEN),
      mailFromDomain,
      ...(input.dmarcReportAddress !== undefined && { dmarcReportAddress: input.dmarcReportAddress }),
    });
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    // A MAIL FROM derived from a bad name is bad for the same reason: only the name is reported.
    const derived = (k: string) => k === 'mailFromDomain' && input.mailFromDomain === undefined;
    const rename = <T>(record: Readonly<Record<string, T>>) =>
      Object.fromEntries(Object.entries(record).filter(([k]) => !derived(k)).map(([k, v]) => [FIELD_OF[k] ?? k, v]));
    throw new ValidationError(rename(err.fields), rename(err.fieldCodes), rename(err.fieldReasons));
  }
  const zone = input.hostedZoneId?.trim();
  return {
    name,
    mailFromDomain,
    ...(zone && { hostedZoneId: zone }),
    ...(input.dmarcReportAddress !== undefined && { dmarcReportAddress: input.dmarcReportAddress.replace(/^mailto:/i, '') }),
  };
}

/** Lower-case, trimmed, one trailing dot dropped. */
export function dnsName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

/**
 * Refuses a new domain past the organisation's limit (DOM-1).
 * @throws ValidationError on `name`, reason `domain.limit-reached`
 */
export function assertUnderLimit(served: readonly Domain[], maxDomains: number): void {
  if (served.length < maxDomains) return;
  assertNoProblems({
    name: problem(
      R.domainLimitReached,
      `at most ${maxDomains} ${maxDomains === 1 ? 'domain is' : 'domains are'} allowed, and ${served.length} ${served.length === 1 ? 'is' : 'are'} served (${served.map((d) => d.name).join(', ')}); raise the limit with postroom:maxDomains (deployed) or --max-domains (local runtime)`,
    ),
  });
}

/**
 * Whether `owner` may add over the stored `existing` domain: the stack re-adding its own domain
 * brings it to the declared settings; a half-done add (`provisioning`) of the same owner is
 * completed; anything else conflicts.
 * @throws ConflictError `domain.owned-by-stack` (an admin adding a declared domain) or `domain.exists`
 */
export function assertMayAddOver(existing: Domain, owner: DomainOwner): void {
  if (existing.owner === owner && (owner === 'stack' || existing.provisioning)) return;
  if (existing.owner === 'stack') {
    throw new ConflictError(R.domainOwnedByStack, `domain ${existing.name} is declared by the deployment; change it in postroom:domains and deploy (on the local runtime: --domain, then restart)`);
  }
  const by = existing.owner === owner ? 'already' : 'already, added through the API; remove it there before declaring it in the CDK app';
  throw new ConflictError(R.domainExists, `domain ${existing.name} is served ${by}`);
}

/** The first item of a domain being added: nothing set up yet, whether SES had the identity recorded. */
export function provisioningItem(request: DomainRequest, owner: DomainOwner, identityExisted: boolean, now: string): Domain {
  return {
    name: request.name,
    mailFromDomain: request.mailFromDomain,
    owner,
    sesIdentity: identityExisted ? 'adopted' : 'created',
    dkimTokens: [],
    publishedRecords: [],
    ...(request.dmarcReportAddress !== undefined && { dmarcReportAddress: request.dmarcReportAddress }),
    provisioning: true,
    createdAt: now,
    updatedAt: now,
  };
}

/** What an add found out, for {@link settledDomain}. */
export interface SetupOutcome {
  /** The hosted zone the records go to; undefined when they are printed. */
  readonly zone: string | undefined;
  /** The SPF the domain published before Postroom merged into it. */
  readonly previousSpf: string | undefined;
  /** True when this add's SES call created the identity. */
  readonly created: boolean;
  readonly dkimTokens: readonly string[];
  /** The records written to `zone`. */
  readonly published: readonly DnsRecord[];
}

/**
 * The domain as an add leaves it: the request's settings over the stored item, without the
 * provisioning marker. The identity stays `created` once an earlier attempt recorded it so: SES
 * calls it existing on a retry.
 */
export function settledDomain(domain: Domain, request: DomainRequest, outcome: SetupOutcome): Domain {
  const { provisioning: _p, hostedZoneId: _z, dmarcReportAddress: _d, previousSpf: _s, ...rest } = domain;
  return {
    ...rest,
    mailFromDomain: request.mailFromDomain,
    ...(outcome.zone !== undefined && { hostedZoneId: outcome.zone }),
    ...(request.dmarcReportAddress !== undefined && { dmarcReportAddress: request.dmarcReportAddress }),
    ...(outcome.previousSpf !== undefined && { previousSpf: outcome.previousSpf }),
    sesIdentity: outcome.created || domain.sesIdentity === 'created' ? 'created' : 'adopted',
    dkimTokens: outcome.dkimTokens,
    publishedRecords: outcome.published,
  };
}

/** The records of `previous` that `next` does not hold with the same values: what a change leaves behind. */
export function staleRecords(previous: readonly DnsRecord[], next: readonly DnsRecord[]): DnsRecord[] {
  const kept = new Set(next.map(recordKey));
  return previous.filter((r) => !kept.has(recordKey(r)));
}

/** Both lists, each record once (by name, type and values). */
export function unionRecords(a: readonly DnsRecord[], b: readonly DnsRecord[]): DnsRecord[] {
  return [...a, ...staleRecords(b, a)];
}

function recordKey(record: DnsRecord): string {
  return `${record.type} ${record.name} ${[...record.values].sort().join('\n')}`;
}
