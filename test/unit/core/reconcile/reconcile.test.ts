/**
 * The reconciler's rule in core, with its ports in memory: which stored raw messages it puts back
 * on the queue (old enough, inside the horizon, no finished or dead-lettered ledger item), and in
 * batches the AWS APIs accept.
 */
import { describe, expect, it } from 'vitest';
import { TransientError } from '../../../../lambdas/core/errors.ts';
import {
  MAX_REQUEUE_BATCH,
  MAX_STATUS_BATCH,
  type IngestStatus,
  type ReconcilePorts,
  type StoredRawMessage,
} from '../../../../lambdas/core/reconcile/ports.ts';
import { rawMessageTransportKey, reconcile } from '../../../../lambdas/core/reconcile/reconcile.ts';

const NOW = new Date('2026-11-26T12:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

interface Memory {
  ports: ReconcilePorts;
  requeued: string[][];
  statusBatches: number[];
}

function memory(objects: StoredRawMessage[], ledger: Record<string, IngestStatus> = {}, pageSize = 1000): Memory {
  const requeued: string[][] = [];
  const statusBatches: number[] = [];
  return {
    requeued,
    statusBatches,
    ports: {
      lister: {
        async listPage(cursor) {
          const start = Number(cursor ?? 0);
          const items = objects.slice(start, start + pageSize);
          const next = start + pageSize;
          return next < objects.length ? { items, cursor: String(next) } : { items };
        },
      },
      ledger: {
        async read(keys) {
          statusBatches.push(keys.length);
          return new Map(keys.filter((k) => ledger[k]).map((k) => [k, ledger[k]!]));
        },
      },
      requeuer: {
        async requeue(messages) {
          requeued.push(messages.map((m) => m.key));
          return [];
        },
      },
    },
  };
}

const raw = (id: string, ageMinutes: number): StoredRawMessage => ({ key: `inbound/${id}`, size: 100, lastModified: minutesAgo(ageMinutes) });

describe('reconcile', () => {
  it('re-enqueues old messages whose ledger item is missing or only started, and nothing else', async () => {
    // Prepare
    const m = memory(
      [raw('lost', 30), raw('crashed', 30), raw('done', 30), raw('dead', 30), raw('young', 2)],
      {
        'ses:crashed': { status: 'started', deadLettered: false },
        'ses:done': { status: 'done', deadLettered: false },
        'ses:dead': { status: 'started', deadLettered: true },
      },
    );

    // Act
    const report = await reconcile(m.ports, { now: NOW, graceMs: 15 * 60_000 });

    // Assess
    expect(m.requeued.flat().sort()).toEqual(['inbound/crashed', 'inbound/lost']);
    expect(report).toMatchObject({ checked: 5, young: 1, finished: 1, deadLettered: 1, repaired: 2, ignored: 0, errors: [], complete: true });
    expect([...report.repairedKeys].sort()).toEqual(['inbound/crashed', 'inbound/lost']);
  });

  it('skips a dead-lettered message even when its ledger item is done', async () => {
    const m = memory([raw('dead', 30)], { 'ses:dead': { status: 'done', deadLettered: true } });

    const report = await reconcile(m.ports, { now: NOW, graceMs: 0 });

    expect(m.requeued).toEqual([]);
    expect(report.deadLettered).toBe(1);
  });

  it('with grace 0 re-enqueues everything unfinished up to now (the local runtime at start)', async () => {
    const m = memory([raw('a', 0), raw('b', 0.01)]);

    const report = await reconcile(m.ports, { now: NOW, graceMs: 0 });

    expect(report.repaired).toBe(2);
  });

  it('leaves objects older than the horizon unchecked', async () => {
    const m = memory([raw('old', 8 * 24 * 60), raw('recent', 6 * 24 * 60)]);

    const report = await reconcile(m.ports, { now: NOW, graceMs: 0, horizonMs: 7 * 24 * 3_600_000 });

    expect(m.requeued.flat()).toEqual(['inbound/recent']);
    expect(report.beyondHorizon).toBe(1);
    expect(m.statusBatches).toEqual([1]);
  });

  it('ignores keys that are not SES messages', async () => {
    const m = memory([
      { key: 'inbound/AMAZON_SES_SETUP_NOTIFICATION', size: 10, lastModified: minutesAgo(60) },
      { key: 'inbound/nested/x', size: 10, lastModified: minutesAgo(60) },
    ]);

    const report = await reconcile(m.ports, { now: NOW, graceMs: 0 });

    expect(report).toMatchObject({ checked: 2, ignored: 2, repaired: 0 });
    expect(m.statusBatches).toEqual([]);
  });

  it('reads the ledger in batches of 100 and re-enqueues in batches of 10, across pages', async () => {
    const objects = Array.from({ length: 1234 }, (_, i) => raw(`m${i}`, 60));
    const m = memory(objects, {}, 500);

    const report = await reconcile(m.ports, { now: NOW, graceMs: 0 });

    expect(report.repaired).toBe(1234);
    expect(Math.max(...m.statusBatches)).toBe(MAX_STATUS_BATCH);
    expect(m.statusBatches.reduce((a, b) => a + b, 0)).toBe(1234);
    expect(Math.max(...m.requeued.map((b) => b.length))).toBe(MAX_REQUEUE_BATCH);
    expect(new Set(m.requeued.flat()).size).toBe(1234);
    expect(report.repairedKeys).toHaveLength(100);
  });

  it('reports a failing ledger batch or requeue as errors and goes on with the rest', async () => {
    const objects = [raw('a', 60), raw('b', 60), raw('c', 60)];
    const m = memory(objects);
    const ports: ReconcilePorts = {
      ...m.ports,
      requeuer: {
        async requeue(messages) {
          return messages.filter((x) => x.key === 'inbound/b').map((x) => ({ key: x.key, code: 'throttled', detail: 'slow down' }));
        },
      },
    };

    const report = await reconcile(ports, { now: NOW, graceMs: 0 });

    expect(report.repaired).toBe(2);
    expect(report.errors).toEqual([{ key: 'inbound/b', code: 'throttled', detail: 'slow down' }]);

    const failingLedger: ReconcilePorts = {
      ...m.ports,
      ledger: { read: async () => Promise.reject(new TransientError('dynamodb-unavailable', 'down')) },
    };
    const second = await reconcile(failingLedger, { now: NOW, graceMs: 0 });
    expect(second.repaired).toBe(0);
    expect(second.errors.map((e) => e.code)).toEqual(['dynamodb-unavailable', 'dynamodb-unavailable', 'dynamodb-unavailable']);
  });

  it('stops listing at the deadline and says the run was incomplete', async () => {
    const m = memory(Array.from({ length: 30 }, (_, i) => raw(`m${i}`, 60)), {}, 10);
    let pages = 0;

    const report = await reconcile(m.ports, { now: NOW, graceMs: 0, deadline: () => pages++ >= 2 });

    expect(report).toMatchObject({ checked: 20, repaired: 20, complete: false });
  });

  it('maps an object key to the SES transport key ingest records', () => {
    expect(rawMessageTransportKey('inbound/abc123')).toBe('ses:abc123');
    expect(rawMessageTransportKey('parts/abc123')).toBeUndefined();
  });
});
