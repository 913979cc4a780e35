/**
 * {@link SesIdentityPort} on SES v2 (DOM-2): a domain identity with Easy DKIM (RSA 2048-bit keys),
 * a custom MAIL FROM domain that falls back to SES's own on MX failure, and Postroom's
 * configuration set. `ensure` creates the identity or, when it exists already, brings it to these
 * settings, changing only what differs (SES lets a DKIM key length change at most once a day), and
 * reads it back. Failures go through the shared classifier as `identity-…` codes.
 */
import {
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  PutEmailIdentityConfigurationSetAttributesCommand,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityDkimSigningAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  type GetEmailIdentityResponse,
  type SESv2Client,
} from '@aws-sdk/client-sesv2';
import { PermanentError } from '../../core/errors.ts';
import type { SesIdentityPort, SesIdentityRequest, SesIdentityStatus, VerificationState } from '../../core/domains/model.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** Easy DKIM's key length: 2048 bits, as DOM-2 asks; SES's default is 1024. */
export const DKIM_KEY_LENGTH = 'RSA_2048_BIT';

/**
 * What SES does when the MAIL FROM domain's MX is missing: use its own MAIL FROM (amazonses.com),
 * so mail still goes out (DOM-2) instead of being rejected (`REJECT_MESSAGE`).
 */
export const BEHAVIOR_ON_MX_FAILURE = 'USE_DEFAULT_VALUE';

/** SES v2's answer for an identity that is not there (404). */
const NOT_FOUND = 'NotFoundException';
/** SES v2's answer to CreateEmailIdentity for an identity that exists already (400). */
const ALREADY_EXISTS = 'AlreadyExistsException';

/** SES v2 statuses (identity, DKIM, MAIL FROM share the spelling) and the model's states. */
const STATES: Readonly<Record<string, VerificationState>> = {
  NOT_STARTED: 'not-started',
  PENDING: 'pending',
  SUCCESS: 'verified',
  FAILED: 'failed',
  TEMPORARY_FAILURE: 'temporary-failure',
};

export class SesV2IdentityAdapter implements SesIdentityPort {
  constructor(private readonly ses: SESv2Client) {}

  /**
   * Creates the domain identity (Easy DKIM 2048-bit, the configuration set if one is given) or
   * adopts the existing one and corrects its DKIM key length, DKIM signing and configuration set;
   * then sets the MAIL FROM domain (behaviour on MX failure: SES's default MAIL FROM) when it
   * differs, and returns the status read back. An identity signed with the admin's own keys
   * (BYODKIM) is refused rather than switched, which would break its signing until new CNAMEs exist.
   */
  async ensure(request: SesIdentityRequest): Promise<{ readonly status: SesIdentityStatus; readonly created: boolean }> {
    const { domain } = request;
    const created = await this.create(request);
    let current = await this.get(domain);
    if (!current) throw new PermanentError('identity-rejected', `SES identity ${domain} vanished while it was being set up`);
    let changed = created ? false : await this.adopt(request, current);
    const mailFrom = current.MailFromAttributes;
    if (mailFrom?.MailFromDomain?.toLowerCase() !== request.mailFromDomain.toLowerCase() || mailFrom.BehaviorOnMxFailure !== BEHAVIOR_ON_MX_FAILURE) {
      await this.call('PutEmailIdentityMailFromAttributes', domain, () =>
        this.ses.send(
          new PutEmailIdentityMailFromAttributesCommand({
            EmailIdentity: domain,
            MailFromDomain: request.mailFromDomain,
            BehaviorOnMxFailure: BEHAVIOR_ON_MX_FAILURE,
          }),
        ),
      );
      changed = true;
    }
    if (changed) current = (await this.get(domain)) ?? current;
    return { status: statusOf(current), created };
  }

  /** The identity's status as SES reports it, or undefined when SES has no identity for `domain`. */
  async status(domain: string): Promise<SesIdentityStatus | undefined> {
    const identity = await this.get(domain);
    return identity && statusOf(identity);
  }

  /** Deletes the domain's identity (DKIM and MAIL FROM settings go with it); a no-op when it is gone. */
  async remove(domain: string): Promise<void> {
    try {
      await this.ses.send(new DeleteEmailIdentityCommand({ EmailIdentity: domain }));
    } catch (err) {
      if (nameOf(err) !== NOT_FOUND) throw sdkError(err, 'identity', `SES DeleteEmailIdentity ${domain}`);
    }
  }

  /** True when this call created the identity, false when it existed already. */
  private async create(request: SesIdentityRequest): Promise<boolean> {
    try {
      await this.ses.send(
        new CreateEmailIdentityCommand({
          EmailIdentity: request.domain,
          DkimSigningAttributes: { NextSigningKeyLength: DKIM_KEY_LENGTH },
          ConfigurationSetName: request.configurationSetName,
        }),
      );
      return true;
    } catch (err) {
      if (nameOf(err) === ALREADY_EXISTS) return false;
      throw sdkError(err, 'identity', `SES CreateEmailIdentity ${request.domain}`);
    }
  }

  /** Brings an identity made elsewhere (or earlier) to Postroom's DKIM and configuration set; true when it changed something. */
  private async adopt(request: SesIdentityRequest, current: GetEmailIdentityResponse): Promise<boolean> {
    const { domain } = request;
    const dkim = current.DkimAttributes ?? {};
    const origin = dkim.SigningAttributesOrigin ?? 'AWS_SES';
    if (origin === 'EXTERNAL') {
      throw new PermanentError('identity-rejected', `SES identity ${domain} signs with its own DKIM keys (BYODKIM); Postroom manages Easy DKIM only`);
    }
    let changed = false;
    // A DEED origin (AWS_SES_<REGION>) takes its keys from the parent identity: its key length is not ours to set.
    if (origin === 'AWS_SES' && dkim.NextSigningKeyLength !== DKIM_KEY_LENGTH) {
      await this.call('PutEmailIdentityDkimSigningAttributes', domain, () =>
        this.ses.send(
          new PutEmailIdentityDkimSigningAttributesCommand({
            EmailIdentity: domain,
            SigningAttributesOrigin: 'AWS_SES',
            SigningAttributes: { NextSigningKeyLength: DKIM_KEY_LENGTH },
          }),
        ),
      );
      changed = true;
    }
    if (dkim.SigningEnabled === false) {
      await this.call('PutEmailIdentityDkimAttributes', domain, () =>
        this.ses.send(new PutEmailIdentityDkimAttributesCommand({ EmailIdentity: domain, SigningEnabled: true })),
      );
      changed = true;
    }
    if (request.configurationSetName !== undefined && current.ConfigurationSetName !== request.configurationSetName) {
      await this.call('PutEmailIdentityConfigurationSetAttributes', domain, () =>
        this.ses.send(
          new PutEmailIdentityConfigurationSetAttributesCommand({ EmailIdentity: domain, ConfigurationSetName: request.configurationSetName }),
        ),
      );
      changed = true;
    }
    return changed;
  }

  private async get(domain: string): Promise<GetEmailIdentityResponse | undefined> {
    try {
      return await this.ses.send(new GetEmailIdentityCommand({ EmailIdentity: domain }));
    } catch (err) {
      if (nameOf(err) === NOT_FOUND) return undefined;
      throw sdkError(err, 'identity', `SES GetEmailIdentity ${domain}`);
    }
  }

  private async call(operation: string, domain: string, send: () => Promise<unknown>): Promise<void> {
    try {
      await send();
    } catch (err) {
      throw sdkError(err, 'identity', `SES ${operation} ${domain}`);
    }
  }
}

/** The model's view of a GetEmailIdentity answer; a status SES does not report (yet) is `not-started`. */
export function statusOf(identity: GetEmailIdentityResponse): SesIdentityStatus {
  const mailFromDomain = identity.MailFromAttributes?.MailFromDomain?.toLowerCase();
  return {
    identity: stateOf(identity.VerificationStatus),
    dkim: stateOf(identity.DkimAttributes?.Status),
    mailFrom: stateOf(identity.MailFromAttributes?.MailFromDomainStatus),
    dkimTokens: identity.DkimAttributes?.Tokens ?? [],
    ...(mailFromDomain ? { mailFromDomain } : {}),
    verifiedForSending: identity.VerifiedForSendingStatus === true,
  };
}

function stateOf(status: string | undefined): VerificationState {
  return status !== undefined && Object.hasOwn(STATES, status) ? STATES[status]! : 'not-started';
}

function nameOf(err: unknown): string | undefined {
  return (err as { name?: string } | undefined)?.name;
}
