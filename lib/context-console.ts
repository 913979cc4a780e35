/**
 * The context settings of the console (README "The console"): the hosted sign-in domain's prefix,
 * and the console's own domain with its certificate.
 */
import { ContextError } from './context-error.ts';

/** The keys, merged into CONTEXT_KEYS of lib/context.ts. */
export const CONSOLE_KEYS = {
  authDomainPrefix: 'postroom:authDomainPrefix',
  consoleDomainName: 'postroom:consoleDomainName',
  consoleCertificateArn: 'postroom:consoleCertificateArn',
} as const;

/**
 * Cognito's rule for hosted UI prefixes (lowercase letters, digits, hyphens, not at either end, at
 * most 63) and its reserved words, which it refuses on deploy: refused at synth instead.
 */
const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const RESERVED_IN_PREFIX = /aws|amazon|cognito/;
const HOST_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
/** CloudFront takes certificates from ACM in us-east-1 only. */
const US_EAST_1_CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[0-9a-f-]{36}$/;

/** The validated console settings (each absent when not set). */
export interface ConsoleSettings {
  readonly authDomainPrefix?: string;
  readonly consoleDomain?: { readonly domainName: string; readonly certificateArn: string };
}

/**
 * Validates the console settings: `authDomainPrefix` per Cognito's rule (default: derived from the
 * stack id); `consoleDomainName` a host name and `consoleCertificateArn` an ACM certificate in
 * us-east-1, both or neither (default: the CloudFront domain and its certificate).
 */
export function consoleSettingsOf(prefix: unknown, domainName: unknown, certificateArn: unknown): ConsoleSettings {
  const keys = CONSOLE_KEYS;
  const settings: { authDomainPrefix?: string; consoleDomain?: ConsoleSettings['consoleDomain'] } = {};
  if (prefix !== undefined && prefix !== '') {
    if (typeof prefix !== 'string' || !DOMAIN_PREFIX.test(prefix) || RESERVED_IN_PREFIX.test(prefix)) {
      throw new ContextError(`context ${keys.authDomainPrefix} must be lowercase letters, digits and inner hyphens (at most 63) without aws, amazon or cognito, got ${String(prefix)}`);
    }
    settings.authDomainPrefix = prefix;
  }
  const hasName = domainName !== undefined && domainName !== '';
  const hasArn = certificateArn !== undefined && certificateArn !== '';
  if (hasName !== hasArn) throw new ContextError(`context ${keys.consoleDomainName} and ${keys.consoleCertificateArn} go together; set both or neither`);
  if (hasName) {
    if (typeof domainName !== 'string' || !HOST_NAME.test(domainName)) throw new ContextError(`context ${keys.consoleDomainName} must be a host name, got ${String(domainName)}`);
    if (typeof certificateArn !== 'string' || !US_EAST_1_CERTIFICATE_ARN.test(certificateArn)) {
      throw new ContextError(`context ${keys.consoleCertificateArn} must be an ACM certificate ARN in us-east-1 (CloudFront's region), got ${String(certificateArn)}`);
    }
    settings.consoleDomain = { domainName, certificateArn };
  }
  return settings;
}
