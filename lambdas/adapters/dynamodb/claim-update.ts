/**
 * The UpdateItem expression of one planned transition (core agents/transitions.ts), apart from
 * the claims adapter that conditions and sends it (interaction-claims.ts): what each placement
 * sets and removes, the `byBucket` partition always following the state.
 */
import type { Transition } from '../../core/agents/transitions.ts';
import { agentBucket, queueBucket } from './schema.ts';

/** The update expression of a placement; the index partition always follows the state. */
export function updateFor(t: Transition, trail: string): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  const to = t.to;
  switch (to.state) {
    case 'claimed':
      return {
        expression: `SET #state = :state, #agentId = :agentId, #claimedAt = :claimedAt, #bucket = :bucket, ${trail}`,
        names: { '#agentId': 'agentId', '#claimedAt': 'claimedAt' },
        values: { ':state': 'claimed', ':agentId': to.agentId, ':claimedAt': to.claimedAt, ':bucket': agentBucket(to.agentId) },
      };
    case 'waiting': {
      const key = to.keepStoredKey ? 'if_not_exists(#orderKey, :orderKey)' : ':orderKey';
      // A first enqueue (a re-routed quarantined interaction) also sets when and with which requirements.
      const first = to.enqueuedAt !== undefined ? enqueueFields(to) : { sets: '', names: {}, values: {} };
      return {
        expression: `SET #state = :state, #queueId = :queueId, #priority = :priority, #orderKey = ${key}, #bucket = :bucket, ${first.sets}${trail} REMOVE #agentId, #claimedAt`,
        names: { '#queueId': 'queueId', '#priority': 'priority', '#orderKey': 'orderKey', '#agentId': 'agentId', '#claimedAt': 'claimedAt', ...first.names },
        values: { ':state': 'waiting', ':queueId': to.queueId, ':priority': to.priority, ':orderKey': to.orderKey, ':bucket': queueBucket(to.queueId), ...first.values },
      };
    }
    case 'closed':
      return {
        expression: `SET #state = :state, #closedAt = :closedAt, ${trail} REMOVE #bucket`,
        names: { '#closedAt': 'closedAt' },
        values: { ':state': 'closed', ':closedAt': to.closedAt },
      };
  }
}

/** The SET clauses of a first enqueue: when, and the skills and language agents need. */
function enqueueFields(to: Extract<Transition['to'], { state: 'waiting' }>): { sets: string; names: Record<string, string>; values: Record<string, unknown> } {
  const sets = ['#enqueuedAt = :enqueuedAt', '#skills = :skills', ...(to.language !== undefined ? ['#language = :language'] : [])];
  return {
    sets: `${sets.join(', ')}, `,
    names: { '#enqueuedAt': 'enqueuedAt', '#skills': 'skills', ...(to.language !== undefined && { '#language': 'language' }) },
    values: { ':enqueuedAt': to.enqueuedAt, ':skills': [...(to.skills ?? [])], ...(to.language !== undefined && { ':language': to.language }) },
  };
}
