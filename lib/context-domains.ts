/**
 * The context settings of the served e-mail domains (README "Domains are data: who owns what"):
 * the domains the CDK app declares (`postroom:domains`, created on deploy through the registry's
 * code path and owned by the stack), how many domains the organisation may serve, and how often
 * the scheduled check looks at them. Domains added through the API are not declared here.
 */
import { DOMAIN_LIMITS, DOMAIN_NAME } from '../contract/recipient-domains.ts';
import { ContextError } from './context-error.ts';

/** The keys, merged into CONTEXT_KEYS of lib/context.ts. */
export const DOMAIN_KEYS = {
  domains: 'postroom:domains',
  /** Deprecated alias of `postroom:domains` (names only), from before domains were data. */
  recipientDomains: 'postroom:recipientDomains',
  maxDomains: 'postroom:maxDomains',
  domainCheckMinutes: 'postroom:domainCheckMinutes',
} as const;

/** One domain the CDK app declares; what the API's `domain add` takes. */
export interface DeclaredDomain {
  /** Lower-case, no trailing dot. */
  readonly name: string;
  /** The Route 53 hosted zone to publish the records in. @default - found by the domain's name, else printed */
  readonly hostedZoneId?: string;
  /** A subdomain of `name`. @default `bounce.<name>` */
  readonly mailFromDomain?: string;
  /** Where DMARC aggregate reports go, for the suggested DMARC record. @default - no `rua` */
  readonly dmarcReportAddress?: string;
}

/** The validated domain settings. */
export interface DomainSettings {
  readonly domains: readonly DeclaredDomain[];
  /** 1 to DOMAIN_LIMITS.maxDomainsCeiling. */
  readonly maxDomains: number;
  /** The scheduled check's rate, 5 to 1440 minutes. */
  readonly domainCheckMinutes: number;
}

/**
 * The scheduled check's bounds: SES and DNS change on a scale of minutes, so more often than every
 * 5 minutes only costs calls (SES allows about one GetEmailIdentity per second); daily is the
 * least that still notices drift on the day it happens.
 */
export const DOMAIN_CHECK_MINUTES = { min: 5, max: 1440, default: 15 } as const;

/**
 * Names reserved for examples and tests (RFC 2606, RFC 6761): mail to them never arrives, so a
 * deployment listing one is a copied placeholder, not a configuration.
 */
const RESERVED_DOMAIN = /(^|\.)(example\.(com|net|org)|example|test|invalid|localhost)$/;
/** Route 53 hosted zone ids: upper-case letters and digits (`Z1D633PJN98FT9`), optionally as `/hostedzone/<id>`. */
const HOSTED_ZONE_ID = /^(?:\/hostedzone\/)?([A-Z0-9]{1,32})$/;
/** Deliberately simple: only catches typos such as a missing @. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates the domain settings. `domains`: an array of names or of objects {name, hostedZoneId?,
 * mailFromDomain?, dmarcReportAddress?}, or a comma-separated string of names as `-c` passes it;
 * `recipientDomains` is accepted instead (deprecated; not both); none is allowed (the API adds
 * domains). `maxDomains` 1..100, default 2; declaring more than it allows is refused.
 * `domainCheckMinutes` 5..1440, default 15.
 * @throws ContextError naming the key and the value at fault
 */
export function domainSettingsOf(domains: unknown, alias: unknown, maxDomains: unknown, checkMinutes: unknown): DomainSettings {
  const set = (v: unknown) => v !== undefined && v !== null && v !== '';
  if (set(domains) && set(alias)) {
    throw new ContextError(`context ${DOMAIN_KEYS.domains} and ${DOMAIN_KEYS.recipientDomains} (its deprecated alias) exclude each other; set ${DOMAIN_KEYS.domains}`);
  }
  const key = set(alias) ? DOMAIN_KEYS.recipientDomains : DOMAIN_KEYS.domains;
  const declared = declaredOf(key, set(alias) ? alias : domains);
  const max = wholeNumber(DOMAIN_KEYS.maxDomains, maxDomains, 1, DOMAIN_LIMITS.maxDomainsCeiling, DOMAIN_LIMITS.defaultMaxDomains);
  if (declared.length > max) {
    throw new ContextError(`context ${key} declares ${declared.length} domains; ${DOMAIN_KEYS.maxDomains} allows ${max} (raise it, at most ${DOMAIN_LIMITS.maxDomainsCeiling})`);
  }
  const { min, max: most, default: every } = DOMAIN_CHECK_MINUTES;
  return { domains: declared, maxDomains: max, domainCheckMinutes: wholeNumber(DOMAIN_KEYS.domainCheckMinutes, checkMinutes, min, most, every) };
}

function declaredOf(key: string, value: unknown): DeclaredDomain[] {
  if (value === undefined || value === null || value === '') return [];
  const items = typeof value === 'string' ? value.split(',').filter((s) => s.trim() !== '') : Array.isArray(value) ? value : undefined;
  if (!items) throw new ContextError(`context ${key} must be an array of domain names or {name, hostedZoneId?, mailFromDomain?, dmarcReportAddress?}`);
  const declared = items.map((item) => domainOf(key, item));
  const names = declared.map((d) => d.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) throw new ContextError(`context ${key} declares ${[...new Set(twice)].join(', ')} more than once`);
  return declared;
}

function domainOf(key: string, item: unknown): DeclaredDomain {
  const entry = typeof item === 'string' ? { name: item } : item;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new ContextError(`context ${key} has an entry that is neither a name nor an object: ${JSON.stringify(item)}`);
  const { name: rawName, hostedZoneId, mailFromDomain, dmarcReportAddress, ...rest } = entry as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new ContextError(`context ${key} entry ${JSON.stringify(rawName)} has unknown fields: ${extra.join(', ')}`);
  const name = typeof rawName === 'string' ? normalised(rawName) : '';
  if (!DOMAIN_NAME.test(name)) throw new ContextError(`context ${key} has an invalid domain name: ${String(rawName)}`);
  if (RESERVED_DOMAIN.test(name)) throw new ContextError(`context ${key} has a reserved example domain that never receives mail: ${name}; use your own domain`);
  const out: { -readonly [K in keyof DeclaredDomain]: DeclaredDomain[K] } = { name };
  if (hostedZoneId !== undefined) {
    const zone = typeof hostedZoneId === 'string' ? HOSTED_ZONE_ID.exec(hostedZoneId.trim())?.[1] : undefined;
    if (!zone) throw new ContextError(`context ${key} ${name}: hostedZoneId must be a Route 53 hosted zone id such as Z1D633PJN98FT9, got ${String(hostedZoneId)}`);
    out.hostedZoneId = zone;
  }
  if (mailFromDomain !== undefined) {
    const from = typeof mailFromDomain === 'string' ? normalised(mailFromDomain) : '';
    if (!DOMAIN_NAME.test(from) || !from.endsWith(`.${name}`)) {
      throw new ContextError(`context ${key} ${name}: mailFromDomain must be a subdomain of ${name}, such as bounce.${name}, got ${String(mailFromDomain)}`);
    }
    out.mailFromDomain = from;
  }
  if (dmarcReportAddress !== undefined) {
    if (typeof dmarcReportAddress !== 'string' || !EMAIL.test(dmarcReportAddress.trim())) {
      throw new ContextError(`context ${key} ${name}: dmarcReportAddress must be an e-mail address, got ${String(dmarcReportAddress)}`);
    }
    out.dmarcReportAddress = dmarcReportAddress.trim();
  }
  return out;
}

/**
 * Validates the return-path (bounce) domain of the SMTP path (`postroom:returnPathDomain`) like a
 * declared domain's name: lower-cased, without a trailing dot, no reserved example domain.
 * @returns `{}` when unset (undefined, null or ''), else `{ returnPathDomain }`
 * @throws ContextError naming `key` and the value at fault
 */
export function returnPathDomainOf(key: string, value: unknown): { returnPathDomain?: string } {
  if (value === undefined || value === null || value === '') return {};
  const name = typeof value === 'string' ? normalised(value) : '';
  if (!DOMAIN_NAME.test(name)) throw new ContextError(`context ${key} must be a domain name such as bounces.mail.acme.com, got ${String(value)}`);
  if (RESERVED_DOMAIN.test(name)) throw new ContextError(`context ${key} is a reserved example domain that never receives mail: ${name}; use a domain Postroom serves`);
  return { returnPathDomain: name };
}

function normalised(name: string): string {
  return name.trim().toLowerCase().replace(/\.$/, '');
}

function wholeNumber(key: string, value: unknown, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ContextError(`context ${key} must be a whole number from ${min} to ${max}, got ${String(value)}`);
  }
  return n;
}
