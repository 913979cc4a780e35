/**
 * The HTTP API's stores over DynamoDB, given a document client and the three tables: the part of
 * the API's wiring that needs no environment and no S3 or SQS, shared by the API Lambdas
 * (api-deps.ts adds the environment, mail content and redrive) and by tests over emulated tables.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AcdDeps } from '../core/agents/ports.ts';
import type { ServedDomains } from '../core/domains/domain.ts';
import type { ApiDeps, RoutingConfigDeps } from './api/deps.ts';
import { storedServedDomains } from './config/served-domains.ts';
import { DynamoAgentStore } from './dynamodb/agent-store.ts';
import { DynamoAddressRouteStore } from './dynamodb/config-store.ts';
import { DynamoConversationStore } from './dynamodb/conversation-store.ts';
import { DynamoDeadLetterStore } from './dynamodb/dead-letter-store.ts';
import { DynamoDomainStore } from './dynamodb/domain-store.ts';
import { DynamoFlowStore } from './dynamodb/flow-store.ts';
import { DynamoInteractionClaims } from './dynamodb/interaction-claims.ts';
import { DynamoInteractionStore } from './dynamodb/interaction-store.ts';
import { DynamoQueueStore } from './dynamodb/queue-store.ts';
import { DynamoSuppressionStore } from './dynamodb/suppression-store.ts';
import { DynamoTemplateStore } from './dynamodb/template-store.ts';
import type { TablesEnv } from './env.ts';
import { DynamoSearchIndex } from './dynamodb/search-index.ts';
import { DynamoThreadIndex } from './dynamodb/thread-index.ts';

/** What the stores are wired with beside the client and the tables. */
export interface ApiStoreOptions {
  readonly now: () => Date;
  /** The served mail domains address routes must be on. @default the config table's domains, read uncached (storedServedDomains) */
  readonly servedDomains?: ServedDomains;
  /** Queue removal's pause between closing and counting (ACD_LIMITS.queueClosingSettleMs when unset). */
  readonly queueClosingSettleMs?: number;
}

/** The API's DynamoDB stores, one route family each. */
export interface ApiStores extends Pick<ApiDeps, 'interactions' | 'conversations' | 'queues' | 'now'> {
  readonly search: NonNullable<ApiDeps['search']>;
  readonly routingConfig: RoutingConfigDeps;
  readonly acd: AcdDeps;
  readonly deadLetters: DynamoDeadLetterStore;
  readonly suppressions: DynamoSuppressionStore;
}

/**
 * Every DynamoDB store of the API over `tables`. The claims adapter keeps contention memory, so
 * a caller creates the stores once per container (or suite) and shares them across requests.
 */
export function apiStores(doc: DynamoDBDocumentClient, tables: TablesEnv, options: ApiStoreOptions): ApiStores {
  const queues = new DynamoQueueStore(doc, tables.queuesTable, tables.interactionsTable);
  return {
    interactions: new DynamoInteractionStore(doc, tables.interactionsTable),
    conversations: new DynamoConversationStore(doc, tables.interactionsTable),
    queues,
    now: options.now,
    routingConfig: {
      addresses: new DynamoAddressRouteStore(doc, tables.configTable),
      flows: new DynamoFlowStore(doc, tables.configTable),
      templates: new DynamoTemplateStore(doc, tables.configTable),
      servedDomains: options.servedDomains ?? storedServedDomains(new DynamoDomainStore(doc, tables.configTable)),
    },
    acd: {
      agents: new DynamoAgentStore(doc, tables.configTable),
      queueAdmin: queues,
      claims: new DynamoInteractionClaims(doc, tables.interactionsTable),
      ...(options.queueClosingSettleMs !== undefined && { queueClosingSettleMs: options.queueClosingSettleMs }),
    },
    deadLetters: new DynamoDeadLetterStore(doc, tables.interactionsTable),
    suppressions: new DynamoSuppressionStore(doc, tables.interactionsTable),
    // Token look-ups read the thread index's records only (lookupTokens); the window does not matter here.
    search: { index: new DynamoSearchIndex(doc, tables.interactionsTable), tokens: new DynamoThreadIndex(doc, tables.interactionsTable) },
  };
}
