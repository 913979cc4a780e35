/**
 * The DynamoDB key schema and index names: the CDK constructs create the tables from them, the
 * adapters query by them and the local runtime creates the same tables (lambdas/adapters/dynamodb/
 * schema.ts describes the items and their key formats), so every environment has the same keys.
 */

/** Interactions table: `pk` (`I#`, `M#`, `DL#`, `MID#`, ... items; see schema.ts). */
export const INTERACTIONS_KEY = { partitionKey: 'pk' } as const;
/** The interactions table's one index: sparse, waiting/claimed/quarantined/dead-letter items by bucket, in order. */
export const BY_BUCKET_INDEX = { name: 'byBucket', partitionKey: 'bucket', sortKey: 'orderKey' } as const;
/** Queues table: one item per queue, keyed by its id. */
export const QUEUES_KEY = { partitionKey: 'id' } as const;
/** Config table: address routes, flows, agents and templates (`ADDR#`, `FLOW#`, ...). */
export const CONFIG_KEY = { partitionKey: 'pk' } as const;
/** The interactions table's TTL attribute (epoch seconds). */
export const TTL_ATTRIBUTE = 'expiresAt';
