/**
 * `--stack`: find a deployed stack's API and sign every request with SigV4, because the HTTP API
 * of a deployment uses IAM auth (service `execute-api`, the stack's region).
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import { API_TIMEOUT_MS, type HttpSend } from './api-client.ts';
import { CliError } from './errors.ts';

/** The stack output that holds the API's base URL (set by the stack's API construct). */
export const API_URL_OUTPUT = 'ApiUrl';

/** Where a deployed stack's API is, and the region its signatures must name. */
export interface StackApi {
  readonly apiUrl: string;
  readonly region: string;
}

/**
 * What to set when the AWS SDK finds no region or no credentials, or undefined for other errors.
 * Why: the SDK's own words ("Region is missing", "Could not load credentials from any providers")
 * do not say which option or variable fixes them.
 */
export function awsSetupHint(err: unknown): string | undefined {
  const e = err as { name?: string; message?: string };
  if (/region is missing/i.test(e.message ?? '')) {
    return 'no AWS region for --stack: pass --region <region> (e.g. --region eu-west-1), or set AWS_REGION, or a region in the AWS_PROFILE you use';
  }
  if (e.name === 'CredentialsProviderError' || /could not load credentials/i.test(e.message ?? '')) {
    return 'no AWS credentials for --stack: set AWS_PROFILE to a configured profile (aws configure, or aws sso login), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY';
  }
  return undefined;
}

/**
 * Reads the `ApiUrl` output of `stackName`; the region is the one in the stack's ARN.
 * @throws CliError when the stack or its output does not exist, or AWS cannot be asked (saying
 *   what to set when the region or credentials are missing)
 */
export async function resolveStackApi(stackName: string, cloudFormation: CloudFormationClient): Promise<StackApi> {
  let stacks;
  try {
    stacks = (await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks ?? [];
  } catch (err) {
    const e = err as { name?: string; message?: string };
    if (/does not exist/i.test(e.message ?? '')) throw new CliError(`stack ${stackName} not found in this account and region`);
    const hint = awsSetupHint(err);
    if (hint) throw new CliError(hint, { cause: err });
    throw new CliError(`cannot describe stack ${stackName}: ${e.name ?? 'Error'}: ${e.message ?? String(err)}`, { cause: err });
  }
  const stack = stacks[0];
  if (!stack) throw new CliError(`stack ${stackName} not found in this account and region`);
  const outputs = stack.Outputs ?? [];
  const output =
    outputs.find((o) => o.OutputKey === API_URL_OUTPUT) ?? outputs.find((o) => o.OutputKey?.startsWith(API_URL_OUTPUT));
  if (!output?.OutputValue) throw new CliError(`stack ${stackName} has no ${API_URL_OUTPUT} output; is it a Postroom stack?`);
  const region = stack.StackId?.split(':')[3] || (await cloudFormation.config.region());
  return { apiUrl: output.OutputValue, region };
}

/** A SigV4 signer for API Gateway (`execute-api`) in `region`. */
export function executeApiSigner(
  region: string,
  credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider = fromNodeProviderChain(),
): SignatureV4 {
  return new SignatureV4({ service: 'execute-api', region, credentials, sha256: Sha256 });
}

/**
 * An {@link HttpSend} that signs each request with `signer`. Why sign the exact host (with port),
 * path and query: API Gateway recomputes the signature from what it receives.
 */
export function signedGet(signer: SignatureV4): HttpSend {
  return async (url, write) => {
    const query: Record<string, string> = {};
    url.searchParams.forEach((value, name) => (query[name] = value));
    let signed;
    try {
      signed = await signer.sign({
        method: write?.method ?? 'GET',
        protocol: url.protocol,
        hostname: url.hostname,
        ...(url.port && { port: Number(url.port) }),
        path: url.pathname,
        query,
        headers: { host: url.host, ...(write?.body !== undefined && { 'content-type': 'application/json' }) },
        ...(write?.body !== undefined && { body: write.body }),
      });
    } catch (err) {
      throw new CliError(awsSetupHint(err) ?? `cannot sign the request with AWS credentials: ${(err as Error).message}`, { cause: err });
    }
    const headers = { ...signed.headers };
    delete headers.host; // fetch sets Host from the URL, the very value that was signed
    return fetch(url, {
      headers,
      signal: AbortSignal.timeout(API_TIMEOUT_MS),
      ...(write && { method: write.method, ...(write.body !== undefined && { body: write.body }) }),
    });
  };
}

/** The default CloudFormation client: `region` when given, else region and credentials from the usual AWS chain. */
export function defaultCloudFormation(region?: string): CloudFormationClient {
  return new CloudFormationClient(region !== undefined ? { region } : {});
}
