import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../lambdas/core/errors.ts';
import { recordIngestFailure } from '../../../lambdas/adapters/dynamodb/ingest-failures.ts';
import { decodeCursor, encodeCursor } from '../../../lambdas/adapters/dynamodb/item-codec.ts';
import { redriveEnv } from '../../../lambdas/adapters/env.ts';

describe('recordIngestFailure', () => {
  it('records the reason of the failure under the key', async () => {
    const recorded: unknown[] = [];
    const at = new Date('2026-11-26T10:00:00Z');
    const out = await recordIngestFailure({ recordFailure: async (...args) => void recorded.push(args) }, 'ses:abc', new TypeError('boom'), at);
    expect(out).toBeUndefined();
    expect(recorded).toEqual([['ses:abc', { code: 'unexpected', message: 'TypeError: boom' }, at]]);
  });

  it('never throws: a failure to record is returned for the log, so the record keeps its outcome', async () => {
    const out = await recordIngestFailure({ recordFailure: () => Promise.reject(new Error('table gone')) }, 'ses:abc', new Error('x'), new Date());
    expect(out?.message).toBe('table gone');
  });
});

describe('decodeCursor for dead letters', () => {
  const key = { pk: 'DL#dl-1', bucket: 'DL#dead', orderKey: -1 };

  it('accepts a cursor of the listed state only', () => {
    expect(decodeCursor(encodeCursor(key), 'DL#dead', 'DL#')).toEqual(key);
    expect(() => decodeCursor(encodeCursor(key), 'DL#redriven', 'DL#')).toThrow(ValidationError);
  });

  it('refuses a cursor that would read interactions', () => {
    expect(() => decodeCursor(encodeCursor({ pk: 'I#i-1', bucket: 'DL#dead', orderKey: -1 }), 'DL#dead', 'DL#')).toThrow(ValidationError);
  });
});

describe('redriveEnv', () => {
  it('is undefined without the variables, both values with them, and fails naming the missing one', () => {
    expect(redriveEnv({})).toBeUndefined();
    expect(redriveEnv({ INBOUND_QUEUE_URL: 'http://q', DEAD_LETTER_BUCKET: 'mail' })).toEqual({ inboundQueueUrl: 'http://q', deadLetterBucket: 'mail' });
    expect(() => redriveEnv({ INBOUND_QUEUE_URL: 'http://q' })).toThrow(/DEAD_LETTER_BUCKET is required/);
  });
});
