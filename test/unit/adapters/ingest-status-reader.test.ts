/**
 * The ledger status reader retries the keys DynamoDB leaves unprocessed (throttling) and gives up
 * with a TransientError after its attempts, so a run reports them instead of skipping them silently.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchGetCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../lambdas/core/errors.ts';
import { DynamoIngestStatusReader } from '../../../lambdas/adapters/dynamodb/ingest-status-reader.ts';

const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1' }));
const mock = mockClient(doc);
const noPause = async () => undefined;

afterEach(() => mock.reset());

describe('DynamoIngestStatusReader', () => {
  it('retries unprocessed keys and merges the answers', async () => {
    mock
      .on(BatchGetCommand)
      .resolvesOnce({
        Responses: { t: [{ pk: 'M#ses:a', status: 'done' }] },
        UnprocessedKeys: { t: { Keys: [{ pk: 'M#ses:b' }] } },
      })
      .resolvesOnce({ Responses: { t: [{ pk: 'M#ses:b', status: 'started', deadLetteredAt: '2026-11-26T10:00:00Z' }] } });

    const statuses = await new DynamoIngestStatusReader(doc, 't', noPause).read(['ses:a', 'ses:b', 'ses:c']);

    expect(Object.fromEntries(statuses)).toEqual({
      'ses:a': { status: 'done', deadLettered: false },
      'ses:b': { status: 'started', deadLettered: true },
    });
    expect(mock.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems!.t!.ConsistentRead).toBe(true);
    expect(mock.commandCalls(BatchGetCommand)[1]!.args[0].input.RequestItems!.t!.Keys).toEqual([{ pk: 'M#ses:b' }]);
  });

  it('gives up with a TransientError when keys stay unprocessed', async () => {
    mock.on(BatchGetCommand).resolves({ Responses: { t: [] }, UnprocessedKeys: { t: { Keys: [{ pk: 'M#ses:a' }] } } });

    await expect(new DynamoIngestStatusReader(doc, 't', noPause).read(['ses:a'])).rejects.toBeInstanceOf(TransientError);
    expect(mock.commandCalls(BatchGetCommand)).toHaveLength(5);
  });
});
