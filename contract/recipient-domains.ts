/**
 * The shape of a served mail domain, checked by the CDK context reader (`postroom:domains`) and by
 * the domain registry (API, CLI, declared domains), so synth refuses what the registry would refuse.
 */

/** A lower-case DNS name of labels of up to 63 characters, at most 253 in all, with an alphabetic TLD. */
export const DOMAIN_NAME = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** How many domains an organisation serves (DOM-1). */
export const DOMAIN_LIMITS = {
  /** Seed 001: "one domain per organization, at most two"; a deployment setting raises it. */
  defaultMaxDomains: 2,
  /** An SES receipt rule lists at most 100 recipients, and one rule carries every served domain. */
  maxDomainsCeiling: 100,
} as const;
