import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoInteractionStore } from '../../../lambdas/adapters/dynamodb/interaction-store.ts';
import { DeploymentError, PermanentError, TransientError } from '../../../lambdas/core/errors.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynalite } from '../../../lambdas/local/services.ts';
import { createTables } from './fixtures.ts';
import { describeStores } from './store-suite.ts';

describeStores('dynalite', () => startDynalite(), 'dynalite-stores');

describe('DynamoDB adapter error mapping', () => {
  it('turns a refused connection into a TransientError so the queue retries', async () => {
    // Prepare: a server that is stopped, so its port refuses connections
    const service = await startDynalite();
    await service.stop();
    const client = new DynamoDBClient({ endpoint: service.endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
    const store = new DynamoInteractionStore(DynamoDBDocumentClient.from(client), 'any-table');

    // Act / Assess
    await expect(store.get('i-1')).rejects.toBeInstanceOf(TransientError);
    client.destroy();
  });

  it('turns a missing table into a PermanentError that names the operation', async () => {
    const service = await startDynalite();
    const tables = await createTables(service.endpoint, 'dynalite-errors');
    const store = new DynamoInteractionStore(tables.doc, 'no-such-table');

    const failure = await store.get('i-1').catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(PermanentError);
    expect((failure as PermanentError).message).toMatch(/GetItem.*ResourceNotFoundException/);
    expect(failure).toBeInstanceOf(DeploymentError);
    expect((failure as DeploymentError).code).toBe('storage-misconfigured');
    tables.destroy();
    await service.stop();
  });
});
