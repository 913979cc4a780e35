/**
 * Invoking an SQS handler as Lambda's event source mapping does, for tests: the handler is typed as
 * aws-lambda's `SQSHandler`, whose callback argument and `void` answer a batch handler never uses.
 */
import type { Context, SQSBatchResponse, SQSEvent, SQSHandler } from 'aws-lambda';
import { lambdaContext } from './factories.ts';

/** Runs `handler` on `event` and answers its partial batch response; fails if it answered none. */
export async function invokeSqsHandler(handler: SQSHandler, event: SQSEvent, context: Context = lambdaContext()): Promise<SQSBatchResponse> {
  const response = await handler(event, context, () => {});
  if (!response) throw new Error('the handler answered no batch response: failed records would be deleted as done');
  return response;
}
