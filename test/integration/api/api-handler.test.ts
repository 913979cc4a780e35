/**
 * The API Lambda's own wiring: env, clients and the API Gateway adapter, against dynalite; and
 * its bundle, which must carry no MIME parser.
 */
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { DynamoQueueStore } from '../../../lambdas/adapters/dynamodb/queue-store.ts';
import { startDynalite, type Dynalite } from '../../../lambdas/local/services.ts';
import { createTables, type Tables } from '../dynamodb/fixtures.ts';
import { at, httpApiEvent } from '../../support/factories.ts';

describe('API Lambda handler', () => {
  let dynalite: Dynalite;
  let tables: Tables;

  beforeAll(async () => {
    dynalite = await startDynalite();
    tables = await createTables(dynalite.endpoint, 'api-handler');
    await new DynamoQueueStore(tables.doc, tables.queues, tables.interactions).ensure({ id: 'default', name: 'Default', createdAt: at(0).toISOString() });
  });
  afterAll(async () => {
    for (const name of ['INTERACTIONS_TABLE', 'QUEUES_TABLE', 'CONFIG_TABLE', 'AWS_ENDPOINT_URL_DYNAMODB']) delete process.env[name];
    tables?.destroy();
    await dynalite?.stop();
  });

  it('serves GET /queues from the tables named in its environment', async () => {
    // Prepare: the env the construct sets, and an HTTP API (payload 2.0) event
    process.env.INTERACTIONS_TABLE = tables.interactions;
    process.env.QUEUES_TABLE = tables.queues;
    process.env.CONFIG_TABLE = tables.config;
    process.env.AWS_ENDPOINT_URL_DYNAMODB = dynalite.endpoint;
    const { handler } = await import('../../../lambdas/handlers/api.ts');
    const event = httpApiEvent('GET', '/queues') as unknown as Parameters<typeof handler>[0];

    // Act
    const result = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({
      queues: [{ id: 'default', name: 'Default', createdAt: at(0).toISOString(), waiting: 0 }],
    });
  });

  it('answers 401 to a request API Gateway did not verify an IAM signature of (no token issuer configured)', async () => {
    const { handler } = await import('../../../lambdas/handlers/api.ts');
    const event = httpApiEvent('GET', '/queues', null) as unknown as Parameters<typeof handler>[0];
    const result = (await handler(event, {} as Context)) as APIGatewayProxyStructuredResultV2;
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '')).toMatchObject({ error: { code: 'unauthenticated', reason: 'auth.token-missing' } });
  });

  it('bundles without mailparser or any MIME adapter', async () => {
    const out = await build({
      entryPoints: ['lambdas/handlers/api.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      external: ['@aws-sdk/*'],
      logLevel: 'silent',
    });
    const inputs = Object.keys(out.metafile.inputs);
    expect(inputs.some((p) => p.includes('lambdas/adapters/api/api-app.ts'))).toBe(true);
    // flows (and their RE2 engine) are served by the flow API Lambda: nothing of them ships here
    const shipped = Object.entries(Object.values(out.metafile.outputs)[0]!.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([p]) => p);
    expect(shipped.filter((p) => /re2js|routes\/flows\.ts|flow-validation/.test(p))).toEqual([]);
    expect(inputs.filter((p) => /mailparser|postal-mime|adapters\/mime/.test(p))).toEqual([]);
  });
});
