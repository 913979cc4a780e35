/**
 * Core's ingest ports in memory, for tests of ingest and of the routing handler that drives it:
 * core does no I/O, so these stand in for the DynamoDB and S3 adapters, which are tested against
 * real local servers elsewhere. Every store keeps what it was given, so a test asserts outcomes.
 */
import type { Interaction } from '../../lambdas/core/interaction.ts';
import type { IngestBegin, IngestLedger, InteractionStore, MessageParser } from '../../lambdas/core/ports.ts';
import type { RoutingDeps } from '../../lambdas/core/routing/routing-ports.ts';
import type { MessageIdClaim } from '../../lambdas/core/routing/thread-ports.ts';
import { at, parsedMail, servedDomains, testClock } from './factories.ts';
import type { IngestDeps } from '../../lambdas/core/ingest-ports.ts';

/** Routing ports in memory: no address routes or flows, an empty thread index. */
export function memoryRouting(): RoutingDeps {
  const claims = new Map<string, { hash: string; owner: string; claimant: string }>();
  return {
    config: { addressRoute: async () => undefined, flow: async () => undefined, template: async () => undefined },
    conversations: { attach: async () => 'missing' },
    threads: {
      record: async () => 'recorded',
      lookup: async () => [],
      lookupTokens: async () => [],
      recordToken: async () => 'recorded',
      claimMessageId: async (id, hash, owner, _at, claimant = owner): Promise<MessageIdClaim> => {
        const held = claims.get(id);
        if (!held) {
          claims.set(id, { hash, owner, claimant });
          return 'new';
        }
        if (held.claimant === claimant) return 'new';
        return held.hash === hash ? { existing: held.owner } : { differs: held.owner };
      },
    },
    ackLimiter: { tryAcquire: async () => true },
    outbox: { enqueue: async () => 'enqueued', get: async () => undefined },
    detectLanguage: () => ({ explanation: 'language undetermined: test' }),
  };
}

/** The ingest ledger in memory: each transport key's state, for tests to read and to set. */
export class MemoryLedger implements IngestLedger {
  readonly records = new Map<string, 'started' | 'done'>();
  async begin(key: string): Promise<IngestBegin> {
    const state = this.records.get(key);
    if (!state) {
      this.records.set(key, 'started');
      return 'new';
    }
    return state === 'done' ? 'done' : 'resumed';
  }
  async complete(key: string) {
    this.records.set(key, 'done');
  }
}

/** The interactions ingest creates, by id (create and get only: all ingest uses). */
export class MemoryInteractions implements Pick<InteractionStore, 'create' | 'get'> {
  readonly items = new Map<string, Interaction>();
  async create(i: Interaction) {
    if (this.items.has(i.id)) return 'exists' as const;
    this.items.set(i.id, i);
    return 'created' as const;
  }
  async get(id: string) {
    return this.items.get(id);
  }
}

/**
 * Ingest's dependencies in memory: domain support.example.com, queues `default` (priority 5) and
 * `billing`, the clock at 09:00:30 on the factories' day, and `parser` (default: {@link parsedMail})
 * behind a recorder of the parse prefixes it was called with (`calls`).
 */
export function memoryIngest(parser: MessageParser['parse'] = async () => parsedMail()) {
  const ledger = new MemoryLedger();
  const interactions = new MemoryInteractions();
  const calls: string[] = [];
  const deps: IngestDeps = {
    ledger,
    interactions: interactions as unknown as InteractionStore,
    queues: { get: async (id) => (['default', 'billing'].includes(id) ? { id, name: id, createdAt: '2026-01-01T00:00:00Z' } : undefined) },
    parser: { parse: (raw, prefix) => (calls.push(prefix), parser(raw, prefix)) },
    settings: { defaultQueueId: 'default', defaultPriority: 5 },
    servedDomains: servedDomains(['support.example.com']),
    routing: memoryRouting(),
    now: testClock(at(0, 30)).now,
  };
  return { ledger, interactions, deps, calls };
}
