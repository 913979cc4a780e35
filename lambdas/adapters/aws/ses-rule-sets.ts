/**
 * The two SES (v1 API) calls of the rule set activation: which receipt rule set is active, and
 * activating one. Signed Query API requests with the SDK's own signer, because SES v1 has no client
 * among Postroom's dependencies (SESv2 has no receipt rule operations) and one more SDK client for
 * two calls at deploy time is not worth its package.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { fromEnv } from '@aws-sdk/credential-provider-env';
import { SignatureV4 } from '@smithy/signature-v4';
import { refusalOf, type AwsCallContext } from './signed-request.ts';

/** The SES API version the Query API calls name. */
const SES_API_VERSION = '2010-12-01';

/** Reads and sets the active receipt rule set of the account and region of `ctx`. */
export class SesRuleSets {
  /**
   * @param ctx credentials and region
   * @param endpoint the SES endpoint; @default `https://email.<region>.amazonaws.com`
   */
  constructor(
    private readonly ctx: AwsCallContext,
    private readonly endpoint?: string,
  ) {}

  /** The name of the active rule set, or undefined when none is active. */
  async activeName(): Promise<string | undefined> {
    const xml = await this.call('DescribeActiveReceiptRuleSet', {});
    // The set's name is the <Name> inside <Metadata>; rule names come later, under <Rules>.
    return /<Metadata>[\s\S]*?<Name>([^<]+)<\/Name>[\s\S]*?<\/Metadata>/.exec(xml)?.[1];
  }

  /** Makes `name` the active rule set; without a name, no set is active. */
  async setActive(name?: string): Promise<void> {
    await this.call('SetActiveReceiptRuleSet', name === undefined ? {} : { RuleSetName: name });
  }

  private async call(action: string, params: Record<string, string>): Promise<string> {
    const region = await this.ctx.region();
    const url = new URL(this.endpoint ?? `https://email.${region}.amazonaws.com/`);
    const body = new URLSearchParams({ Action: action, Version: SES_API_VERSION, ...params }).toString();
    const signer = new SignatureV4({ service: 'ses', region, credentials: this.ctx.credentials, sha256: Sha256 });
    const signed = await signer.sign({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port && { port: Number(url.port) }),
      path: url.pathname,
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    });
    // fetch sets `host` itself, to the value that was signed.
    const headers = Object.fromEntries(Object.entries(signed.headers).filter(([k]) => k.toLowerCase() !== 'host'));
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    if (!res.ok) throw await refusalOf(res, `SES ${action}`, text);
    return text;
  }
}

/**
 * A Lambda's own credentials and region: Lambda puts both in the environment (AWS_ACCESS_KEY_ID and
 * friends, AWS_REGION), so no SDK client is needed to resolve them.
 * @throws Error when AWS_REGION is not set
 */
export function lambdaCallContext(env: NodeJS.ProcessEnv = process.env): AwsCallContext {
  const region = env.AWS_REGION;
  if (!region) throw new Error('AWS_REGION is not set');
  return { credentials: fromEnv(), region: async () => region };
}
