/**
 * SQS SendMessageBatch in the JSON protocol, signed by hand (sigv4-header-signer.ts, the SDK's signature) and sent
 * on the keep-alive node:http(s) agent (signed-http.ts), for the pollers' polled-receipt records.
 *
 * Why not the SQS client: per call its request pipeline cost about 1.2 ms of CPU, a tenth of a
 * millisecond per message in a full batch of 10 and several tenths in the partial batches of a
 * slower mailbox, against a fetch of 0.3 ms per message (poll.bench.ts). The endpoint is the one
 * the client's own endpoint rules resolve (its endpoint override or AWS_ENDPOINT_URL_SQS, FIPS,
 * dual-stack; never the queue URL's host, as aws-clients.ts configures the client), with its
 * credentials and region; where the rules answer anything but SigV4 the SDK sends.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { TransientError } from '../../core/errors.ts';
import { sdkError } from './sdk-errors.ts';
import { createHash } from 'node:crypto';
import { endpointOverride, exchange, isHttpUrl, refusalOfAnswer } from './signed-http.ts';
import { callContextOf } from './signed-request.ts';
import { SigV4HeaderSigner } from './sigv4-header-signer.ts';

/** Bounds of one signed call. */
export const SQS_SIGNED_BATCH_LIMITS = {
  /** Attempts of one call, as the SDK's standard retry strategy makes (a reused keep-alive socket may have been closed). */
  maxAttempts: 3,
  /** First back-off before a retry, doubled per attempt with full jitter (the SDK's base delay). */
  baseBackoffMs: 100,
} as const;

/** One entry of a batch. */
export interface BatchEntry {
  readonly Id: string;
  readonly MessageBody: string;
}

/** The SDK's config fields this reads (public fields of every SDK v3 SQS client). */
interface SqsConfig {
  readonly credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string }>;
  readonly useFipsEndpoint: () => Promise<boolean>;
  readonly useDualstackEndpoint: () => Promise<boolean>;
  readonly endpointProvider: (params: Record<string, unknown>) => { url: URL; properties?: { authSchemes?: { name?: string; signingRegion?: string }[] } };
}

type Target = { readonly url: URL; readonly signer: SigV4HeaderSigner; readonly credentials: SqsConfig['credentials'] } | undefined;

const perClient = new WeakMap<SQSClient, SqsSignedBatch>();

/** The hand-signed SendMessageBatch of `sqs` (one per client, so per container). */
export function signedBatchOf(sqs: SQSClient): SqsSignedBatch {
  let batch = perClient.get(sqs);
  if (!batch) perClient.set(sqs, (batch = new SqsSignedBatch(sqs)));
  return batch;
}

/** SendMessageBatch with `sqs`'s endpoint, credentials and region; see the file comment. */
export class SqsSignedBatch {
  private target: Promise<Target> | undefined;

  constructor(private readonly sqs: SQSClient) {}

  /**
   * Sends `entries` to `queueUrl`, retrying a transient failure of the call; the Ids SQS did not take.
   * @throws the classified `queue-…` error of the call (sdkError)
   */
  async send(queueUrl: string, entries: readonly BatchEntry[]): Promise<ReadonlySet<string>> {
    this.target ??= this.resolve();
    this.target.catch(() => (this.target = undefined)); // a failed resolution (credentials, region) is tried again next time
    const target = await this.target;
    for (let attempt = 1; ; attempt++) {
      try {
        const out = target ? await this.call(target, queueUrl, entries) : await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: [...entries] }));
        return new Set((out.Failed ?? []).map((f) => f.Id ?? ''));
      } catch (err) {
        const failure = sdkError(err, 'queue', 'SQS SendMessageBatch');
        if (!(failure instanceof TransientError) || attempt >= SQS_SIGNED_BATCH_LIMITS.maxAttempts || !target) throw failure;
        await sleep(Math.random() * SQS_SIGNED_BATCH_LIMITS.baseBackoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private async call(target: NonNullable<Target>, queueUrl: string, entries: readonly BatchEntry[]): Promise<{ Failed?: { Id?: string }[] }> {
    const { url, signer } = target;
    const body = JSON.stringify({ QueueUrl: queueUrl, Entries: entries });
    const path = url.pathname || '/';
    // The payload hash as a header too, as the SDK's SQS signer adds it.
    const payloadHash = createHash('sha256').update(body).digest('hex');
    const headers = { host: url.host, 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.SendMessageBatch', 'x-amz-content-sha256': payloadHash };
    const signed = signer.sign({ method: 'POST', path, headers, payloadHash, credentials: await target.credentials() });
    const answer = await exchange(url, 'POST', path, signed, body);
    if (answer.status < 200 || answer.status >= 300) throw await refusalOfAnswer(answer, 'SQS SendMessageBatch');
    return answer.text ? (JSON.parse(answer.text) as { Failed?: { Id?: string }[] }) : {};
  }

  private async resolve(): Promise<Target> {
    const config = this.sqs.config as unknown as SqsConfig & Parameters<typeof endpointOverride>[0];
    const region = await callContextOf(this.sqs).region();
    const override = await endpointOverride(config);
    const resolved = config.endpointProvider({ Region: region, UseFIPS: await config.useFipsEndpoint(), UseDualStack: await config.useDualstackEndpoint(), ...(override && { Endpoint: override }) });
    const scheme = resolved.properties?.authSchemes?.[0];
    if ((scheme && scheme.name !== 'sigv4') || !isHttpUrl(resolved.url)) return undefined;
    return { url: resolved.url, signer: new SigV4HeaderSigner('sqs', scheme?.signingRegion ?? region), credentials: config.credentials };
  }
}
