/**
 * `--stack`: the API URL comes from the stack's outputs (CloudFormation is mocked: no local server
 * exists for it) and every request reaching the API carries a SigV4 signature for `execute-api` in
 * the stack's region, verified here by a local HTTP server on 127.0.0.1.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../lambdas/cli/program.ts';

/** The static credentials vitest.config.ts puts in the environment, found by the default chain. */
const CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };
const STACK_REGION = 'eu-west-1';

interface Received {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
}

/** Re-signs what the server received with the same key, date and signed headers. */
async function expectedAuthorization(req: Received, overrides: { path?: string } = {}): Promise<string> {
  const authorization = String(req.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const headers: Record<string, string> = {};
  for (const name of signedHeaders) headers[name] = String(req.headers[name]);
  const url = new URL(req.url, `http://${req.headers.host}`);
  const query: Record<string, string> = {};
  url.searchParams.forEach((v, k) => (query[k] = v));
  const amzDate = String(req.headers['x-amz-date']);
  const signingDate = new Date(amzDate.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
  const signer = new SignatureV4({ service: 'execute-api', region: STACK_REGION, credentials: CREDENTIALS, sha256: Sha256 });
  const signed = await signer.sign(
    { method: req.method, protocol: 'http:', hostname: url.hostname, port: Number(url.port), path: overrides.path ?? url.pathname, query, headers },
    { signingDate },
  );
  return String(signed.headers.authorization);
}

describe('postroom --stack', () => {
  const cloudFormation = mockClient(CloudFormationClient);
  const received: Received[] = [];
  let server: Server;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
      res.setHeader('content-type', 'application/json');
      if (req.url?.startsWith('/prod/quarantine')) res.end(JSON.stringify({ interactions: [] }));
      else res.writeHead(403).end(JSON.stringify({ message: 'Forbidden' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    cloudFormation.reset();
    received.length = 0;
  });
  afterAll(async () => {
    cloudFormation.restore();
    await new Promise((resolve) => server.close(resolve));
  });

  const run = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, { out: (t) => out.push(t), err: (t) => err.push(t), env: {}, cwd: '/nonexistent' });
    return { code, out: out.join(''), err: err.join('') };
  };

  it('signs requests to the stack ApiUrl for execute-api in the stack region', async () => {
    // Prepare: the stack's outputs point at the local server, under a stage path
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Postroom' }).resolves({
      Stacks: [
        {
          StackName: 'Postroom',
          StackId: `arn:aws:cloudformation:${STACK_REGION}:123456789012:stack/Postroom/abc`,
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [{ OutputKey: 'ApiUrl', OutputValue: `${baseUrl}/prod/` }],
        },
      ],
    });

    // Act
    const result = await run('--stack', 'Postroom', 'quarantine', 'list', '--json');

    // Assess: the request arrived signed, and the signature verifies
    expect(result).toEqual({ code: 0, out: `${JSON.stringify({ interactions: [] }, null, 2)}\n`, err: '' });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request!.url).toBe('/prod/quarantine?limit=200');
    expect(String(request!.headers.authorization)).toMatch(
      new RegExp(`^AWS4-HMAC-SHA256 Credential=local/\\d{8}/${STACK_REGION}/execute-api/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$`),
    );
    expect(request!.headers.authorization).toBe(await expectedAuthorization(request!));
    expect(request!.headers.authorization).not.toBe(await expectedAuthorization(request!, { path: '/prod/queues' }));
  });

  it('shows API Gateway refusals as one-line API errors', async () => {
    cloudFormation.on(DescribeStacksCommand).resolves({
      Stacks: [{ StackName: 'Postroom', StackId: `arn:aws:cloudformation:${STACK_REGION}:1:stack/Postroom/x`, CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [{ OutputKey: 'ApiUrl', OutputValue: `${baseUrl}/prod` }] }],
    });
    const result = await run('--stack', 'Postroom', 'queue', 'list');
    expect(result.code).toBe(1);
    expect(result.err).toBe('postroom: API error 403 http-403: Forbidden\n');
  });

  it('explains a missing stack or a stack without the ApiUrl output', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Nope' }).rejects(Object.assign(new Error('Stack with id Nope does not exist'), { name: 'ValidationError' }));
    cloudFormation.on(DescribeStacksCommand, { StackName: 'Other' }).resolves({
      Stacks: [{ StackName: 'Other', CreationTime: new Date(), StackStatus: 'CREATE_COMPLETE', Outputs: [] }],
    });
    expect(await run('--stack', 'Nope', 'queue', 'list')).toMatchObject({ code: 1, err: 'postroom: stack Nope not found in this account and region\n' });
    expect(await run('--stack', 'Other', 'queue', 'list')).toMatchObject({ code: 1, err: 'postroom: stack Other has no ApiUrl output; is it a Postroom stack?\n' });
    expect(received).toHaveLength(0);
  });
});
