/**
 * The inbound queue as redrive uses it: one SendMessage of a dead letter's original body.
 */
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { InboundRequeue } from '../../core/dead-letters.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** {@link InboundRequeue} on SQS; SDK errors become Postroom's hierarchy by the shared rules of aws/sdk-errors.ts. */
export class SqsInboundRequeue implements InboundRequeue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async send(body: string): Promise<void> {
    try {
      await this.sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: body }));
    } catch (err) {
      throw sdkError(err, 'queue', 'SQS SendMessage');
    }
  }
}
