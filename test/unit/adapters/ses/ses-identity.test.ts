/**
 * The SES v2 identity adapter against a mocked SES v2 client (no local server exists for SES
 * identities): what it sends to create or adopt an identity, how it reads the status back, and how
 * SES's answers (already exists, not found, throttling) become Postroom's.
 */
import {
  AlreadyExistsException,
  CreateEmailIdentityCommand,
  DeleteEmailIdentityCommand,
  GetEmailIdentityCommand,
  NotFoundException,
  PutEmailIdentityConfigurationSetAttributesCommand,
  PutEmailIdentityDkimAttributesCommand,
  PutEmailIdentityDkimSigningAttributesCommand,
  PutEmailIdentityMailFromAttributesCommand,
  SESv2Client,
  TooManyRequestsException,
  type GetEmailIdentityResponse,
} from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, TransientError } from '../../../../lambdas/core/errors.ts';
import { SesV2IdentityAdapter } from '../../../../lambdas/adapters/ses/ses-identity.ts';

const client = new SESv2Client({ region: 'eu-west-1' });
const ses = mockClient(client);
const adapter = new SesV2IdentityAdapter(client);
afterEach(() => ses.reset());

const request = { domain: 'support.example.com', mailFromDomain: 'bounce.support.example.com', configurationSetName: 'postroom-cs' };
const tokens = ['tok1', 'tok2', 'tok3'];
const $metadata = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

/** A GetEmailIdentity answer for a domain already set up as Postroom wants it, with overrides. */
function identity(overrides: Partial<GetEmailIdentityResponse> = {}): GetEmailIdentityResponse {
  return {
    IdentityType: 'DOMAIN',
    VerificationStatus: 'PENDING',
    VerifiedForSendingStatus: false,
    ConfigurationSetName: 'postroom-cs',
    DkimAttributes: { SigningEnabled: true, Status: 'PENDING', Tokens: tokens, SigningAttributesOrigin: 'AWS_SES', NextSigningKeyLength: 'RSA_2048_BIT' },
    MailFromAttributes: { MailFromDomain: 'bounce.support.example.com', MailFromDomainStatus: 'PENDING', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    ...overrides,
  };
}

const puts = () => [
  ...ses.commandCalls(PutEmailIdentityDkimSigningAttributesCommand),
  ...ses.commandCalls(PutEmailIdentityDkimAttributesCommand),
  ...ses.commandCalls(PutEmailIdentityConfigurationSetAttributesCommand),
  ...ses.commandCalls(PutEmailIdentityMailFromAttributesCommand),
];

describe('SesV2IdentityAdapter.ensure', () => {
  it('creates the identity with 2048-bit Easy DKIM and the configuration set, then sets the MAIL FROM domain with the fallback', async () => {
    // Prepare: a fresh identity has no MAIL FROM until it is set
    ses.on(CreateEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN', VerifiedForSendingStatus: false });
    ses.on(GetEmailIdentityCommand).resolvesOnce(identity({ MailFromAttributes: undefined })).resolves(identity());
    ses.on(PutEmailIdentityMailFromAttributesCommand).resolves({});

    // Act
    const { status, created } = await adapter.ensure(request);

    // Assess
    expect(ses.commandCalls(CreateEmailIdentityCommand)[0]!.args[0].input).toEqual({
      EmailIdentity: 'support.example.com',
      DkimSigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
      ConfigurationSetName: 'postroom-cs',
    });
    expect(ses.commandCalls(PutEmailIdentityMailFromAttributesCommand)[0]!.args[0].input).toEqual({
      EmailIdentity: 'support.example.com',
      MailFromDomain: 'bounce.support.example.com',
      BehaviorOnMxFailure: 'USE_DEFAULT_VALUE',
    });
    expect(created).toBe(true);
    expect(status).toEqual({
      identity: 'pending',
      dkim: 'pending',
      mailFrom: 'pending',
      dkimTokens: tokens,
      mailFromDomain: 'bounce.support.example.com',
      verifiedForSending: false,
    });
  });

  it('adopts an existing identity: corrects the key length, DKIM signing, configuration set and MAIL FROM', async () => {
    ses.on(CreateEmailIdentityCommand).rejects(new AlreadyExistsException({ message: 'exists', ...$metadata(400) }));
    const before = identity({
      ConfigurationSetName: 'someone-elses',
      DkimAttributes: { SigningEnabled: false, Status: 'SUCCESS', Tokens: tokens, SigningAttributesOrigin: 'AWS_SES', NextSigningKeyLength: 'RSA_1024_BIT' },
      MailFromAttributes: { MailFromDomain: 'mail.support.example.com', MailFromDomainStatus: 'SUCCESS', BehaviorOnMxFailure: 'REJECT_MESSAGE' },
    });
    ses.on(GetEmailIdentityCommand).resolvesOnce(before).resolves(identity({ VerificationStatus: 'SUCCESS' }));

    const { status, created } = await adapter.ensure(request);

    expect(created).toBe(false);
    expect(ses.commandCalls(PutEmailIdentityDkimSigningAttributesCommand)[0]!.args[0].input).toEqual({
      EmailIdentity: 'support.example.com',
      SigningAttributesOrigin: 'AWS_SES',
      SigningAttributes: { NextSigningKeyLength: 'RSA_2048_BIT' },
    });
    expect(ses.commandCalls(PutEmailIdentityDkimAttributesCommand)[0]!.args[0].input).toEqual({ EmailIdentity: 'support.example.com', SigningEnabled: true });
    expect(ses.commandCalls(PutEmailIdentityConfigurationSetAttributesCommand)[0]!.args[0].input).toEqual({
      EmailIdentity: 'support.example.com',
      ConfigurationSetName: 'postroom-cs',
    });
    expect(ses.commandCalls(PutEmailIdentityMailFromAttributesCommand)[0]!.args[0].input.BehaviorOnMxFailure).toBe('USE_DEFAULT_VALUE');
    expect(status.identity).toBe('verified');
  });

  it('changes nothing on an identity that already has the settings, and reads it once', async () => {
    ses.on(CreateEmailIdentityCommand).rejects(new AlreadyExistsException({ message: 'exists', ...$metadata(400) }));
    ses.on(GetEmailIdentityCommand).resolves(identity({ VerificationStatus: 'SUCCESS', VerifiedForSendingStatus: true }));

    const { status } = await adapter.ensure(request);

    expect(puts()).toHaveLength(0);
    expect(ses.commandCalls(GetEmailIdentityCommand)).toHaveLength(1);
    expect(status.verifiedForSending).toBe(true);
  });

  it('leaves the key length of a DEED identity (keys from its parent) and a configuration set it was not asked for', async () => {
    ses.on(CreateEmailIdentityCommand).rejects(new AlreadyExistsException({ message: 'exists', ...$metadata(400) }));
    ses.on(GetEmailIdentityCommand).resolves(
      identity({
        ConfigurationSetName: 'other',
        DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', Tokens: tokens, SigningAttributesOrigin: 'AWS_SES_US_EAST_1', NextSigningKeyLength: 'RSA_1024_BIT' },
      }),
    );

    await adapter.ensure({ domain: request.domain, mailFromDomain: request.mailFromDomain });

    expect(puts()).toHaveLength(0);
  });

  it('refuses an identity signed with the admin’s own keys (BYODKIM) and changes nothing', async () => {
    ses.on(CreateEmailIdentityCommand).rejects(new AlreadyExistsException({ message: 'exists', ...$metadata(400) }));
    ses.on(GetEmailIdentityCommand).resolves(identity({ DkimAttributes: { SigningEnabled: true, Status: 'SUCCESS', SigningAttributesOrigin: 'EXTERNAL', Tokens: ['sel'] } }));

    const err = await adapter.ensure(request).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).message).toMatch(/BYODKIM/);
    expect(puts()).toHaveLength(0);
  });

  it('turns throttling into a TransientError the caller retries', async () => {
    ses.on(CreateEmailIdentityCommand).rejects(new TooManyRequestsException({ message: 'slow down', ...$metadata(429) }));

    const err = await adapter.ensure(request).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('identity-unavailable');
    expect((err as TransientError).message).toMatch(/^SES CreateEmailIdentity support\.example\.com failed: TooManyRequestsException/);
  });

  it('turns throttling of a later step into a TransientError too', async () => {
    ses.on(CreateEmailIdentityCommand).resolves({});
    ses.on(GetEmailIdentityCommand).resolves(identity({ MailFromAttributes: undefined }));
    ses.on(PutEmailIdentityMailFromAttributesCommand).rejects(new TooManyRequestsException({ message: 'slow down', ...$metadata(429) }));

    await expect(adapter.ensure(request)).rejects.toBeInstanceOf(TransientError);
  });
});

describe('SesV2IdentityAdapter.status', () => {
  it.each([
    ['NOT_STARTED', 'not-started'],
    ['PENDING', 'pending'],
    ['SUCCESS', 'verified'],
    ['FAILED', 'failed'],
    ['TEMPORARY_FAILURE', 'temporary-failure'],
  ] as const)('maps SES %s to %s for the identity, DKIM and MAIL FROM', async (ses2, state) => {
    ses.on(GetEmailIdentityCommand).resolves(
      identity({
        VerificationStatus: ses2,
        DkimAttributes: { Status: ses2, Tokens: tokens },
        MailFromAttributes: { MailFromDomain: 'Bounce.Support.Example.com', MailFromDomainStatus: ses2 === 'NOT_STARTED' ? 'PENDING' : ses2, BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
      }),
    );

    const status = await adapter.status('support.example.com');

    expect(status?.identity).toBe(state);
    expect(status?.dkim).toBe(state);
    expect(status?.mailFrom).toBe(ses2 === 'NOT_STARTED' ? 'pending' : state);
    expect(status?.mailFromDomain).toBe('bounce.support.example.com');
  });

  it('reports not-started and no tokens for what SES does not say', async () => {
    ses.on(GetEmailIdentityCommand).resolves({ IdentityType: 'DOMAIN' });

    expect(await adapter.status('support.example.com')).toEqual({
      identity: 'not-started',
      dkim: 'not-started',
      mailFrom: 'not-started',
      dkimTokens: [],
      verifiedForSending: false,
    });
  });

  it('is undefined when SES has no such identity', async () => {
    ses.on(GetEmailIdentityCommand).rejects(new NotFoundException({ message: 'no identity', ...$metadata(404) }));

    expect(await adapter.status('gone.example.com')).toBeUndefined();
  });
});

describe('SesV2IdentityAdapter.remove', () => {
  it('deletes the identity of that domain', async () => {
    ses.on(DeleteEmailIdentityCommand).resolves({});

    await adapter.remove('support.example.com');

    expect(ses.commandCalls(DeleteEmailIdentityCommand).map((c) => c.args[0].input)).toEqual([{ EmailIdentity: 'support.example.com' }]);
  });

  it('is a no-op when the identity is gone already', async () => {
    ses.on(DeleteEmailIdentityCommand).rejects(new NotFoundException({ message: 'no identity', ...$metadata(404) }));

    await expect(adapter.remove('gone.example.com')).resolves.toBeUndefined();
  });

  it('turns throttling into a TransientError', async () => {
    ses.on(DeleteEmailIdentityCommand).rejects(new TooManyRequestsException({ message: 'slow down', ...$metadata(429) }));

    await expect(adapter.remove('support.example.com')).rejects.toBeInstanceOf(TransientError);
  });
});
