/**
 * The inbound queue as redrive uses it: one SendMessage of a dead letter's original body.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { PermanentError, TransientError } from '../../core/errors.ts';
import type { InboundRequeue } from '../../core/dead-letters.ts';

interface SdkErrorShape {
  readonly name?: string;
  readonly $fault?: 'client' | 'server';
  readonly $metadata?: { readonly httpStatusCode?: number };
}

/** {@link InboundRequeue} on SQS; SDK errors become Postroom's hierarchy (throttling and 5xx are transient). */
export class SqsInboundRequeue implements InboundRequeue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: string): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
    } catch (err) {
      const e = (err ?? {}) as SdkErrorShape;
      const status = e.$metadata?.httpStatusCode;
      const message = `SQS SendMessage failed: ${e.name ?? 'Error'}`;
      if (e.$fault === 'server' || status === undefined || status === 429 || status >= 500 || /Throttl|RequestThrottled/.test(e.name ?? '')) {
        throw new TransientError('queue-unavailable', message, { cause: err });
      }
      throw new PermanentError('queue-rejected', message, { cause: err });
    }
  }
}
