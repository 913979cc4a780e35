/**
 * Versioned flows on DynamoDB's config table: `FLOW#<id>` is the flow's pointer (name, current
 * version, timestamps) and `FLOWV#<id>#<version>` one immutable definition. A write adds a version
 * item with a conditional put (the version number is the lock: two concurrent writers cannot both
 * create version n) and then moves the pointer forward only, with a second conditional put.
 * No transactions (decision 7), so the same code runs on DynamoDB Local and dynalite.
 */
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError } from '../../core/errors.ts';
import type { FlowStore } from '../../core/routing/config-ports.ts';
import type { FlowDefinition, FlowSummary, FlowVersion } from '../../core/routing/flow.ts';
import { CONFIG_PREFIX, plain, scanPrefix } from './config-store.ts';
import type { Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './sdk-errors.ts';

export const flowPk = (id: string): string => `${CONFIG_PREFIX.flow}${id}`;
export const flowVersionPk = (id: string, version: number): string => `${CONFIG_PREFIX.flowVersion}${id}#${version}`;

/** Writers racing for one flow retry this often before the API answers "retry" (503). */
export const MAX_FLOW_PUT_ATTEMPTS = 5;
/** BatchGetItem reads at most 100 keys per call. */
const BATCH_GET_KEYS = 100;
/** Unprocessed keys (throttling) are asked for again this often before the read fails as transient. */
const MAX_BATCH_ROUNDS = 5;
/** Deletes of a flow's versions run this many at a time. */
const DELETE_CONCURRENCY = 10;

/** {@link FlowStore} on the config table. */
export class DynamoFlowStore implements FlowStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(): Promise<readonly FlowSummary[]> {
    const flows = (await scanPrefix(this.doc, this.tableName, CONFIG_PREFIX.flow)).map(itemToSummary);
    return flows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async get(id: string): Promise<FlowSummary | undefined> {
    const item = await this.getItem(flowPk(id));
    return item ? itemToSummary(item) : undefined;
  }

  async getVersion(id: string, version?: number): Promise<FlowVersion | undefined> {
    const current = version ?? (await this.get(id))?.version;
    if (current === undefined) return undefined;
    const item = await this.getItem(flowVersionPk(id, current));
    return item ? itemToVersion(item) : undefined;
  }

  /** Every version named by the pointer, read in batches of 100 keys. */
  async listVersions(id: string): Promise<readonly FlowVersion[]> {
    const summary = await this.get(id);
    if (!summary) return [];
    const keys = Array.from({ length: summary.version }, (_, n) => ({ pk: flowVersionPk(id, n + 1) }));
    const versions: FlowVersion[] = [];
    for (let n = 0; n < keys.length; n += BATCH_GET_KEYS) versions.push(...(await this.batchGet(keys.slice(n, n + BATCH_GET_KEYS))));
    return versions.sort((a, b) => a.version - b.version);
  }

  /**
   * Adds the next version and makes it current.
   * @throws TransientError when other writers keep taking the next version number
   */
  async put(id: string, definition: FlowDefinition, at: Date): Promise<FlowVersion> {
    const iso = at.toISOString();
    let tried = 0;
    for (let attempt = 0; attempt < MAX_FLOW_PUT_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      const version = Math.max((current?.version ?? 0) + 1, tried + 1);
      tried = version;
      const stored: FlowVersion = { id, version, definition: plain(definition), createdAt: iso };
      if (!(await this.conditionalPut({ ...stored, pk: flowVersionPk(id, version) }, 'attribute_not_exists(pk)'))) continue;
      const pointer: Item = { pk: flowPk(id), id, name: definition.name, version, createdAt: current?.createdAt ?? iso, updatedAt: iso };
      // Only forward: a slower writer of an older version must not move the pointer back.
      await this.conditionalPut(pointer, 'attribute_not_exists(pk) OR #version < :version', { '#version': 'version' }, { ':version': version });
      return stored;
    }
    throw new TransientError('flow-write-conflict', `flow ${id} is being changed by other writers; retry`);
  }

  /** Deletes the versions first and the pointer last, so a failed delete can simply be repeated. */
  async delete(id: string): Promise<boolean> {
    const summary = await this.get(id);
    if (!summary) return false;
    const keys = Array.from({ length: summary.version }, (_, n) => flowVersionPk(id, n + 1));
    for (let n = 0; n < keys.length; n += DELETE_CONCURRENCY) {
      await Promise.all(keys.slice(n, n + DELETE_CONCURRENCY).map((pk) => this.deleteItem(pk)));
    }
    await this.deleteItem(flowPk(id));
    return true;
  }

  private async getItem(pk: string): Promise<Item | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true })));
    return out.Item;
  }

  private async deleteItem(pk: string): Promise<void> {
    await dynamoCall('DeleteItem', () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk } })));
  }

  private async conditionalPut(item: Item, condition: string, names?: Record<string, string>, values?: Record<string, unknown>): Promise<boolean> {
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: item,
            ConditionExpression: condition,
            ...(names && { ExpressionAttributeNames: names }),
            ...(values && { ExpressionAttributeValues: values }),
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  private async batchGet(keys: Item[]): Promise<FlowVersion[]> {
    const found: FlowVersion[] = [];
    let pending: Item[] = keys;
    for (let round = 0; round < MAX_BATCH_ROUNDS && pending.length > 0; round++) {
      const out = await dynamoCall('BatchGetItem', () =>
        this.doc.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } })),
      );
      found.push(...(out.Responses?.[this.tableName] ?? []).map(itemToVersion));
      pending = (out.UnprocessedKeys?.[this.tableName]?.Keys ?? []) as Item[];
    }
    if (pending.length > 0) throw new TransientError('storage-unavailable', 'DynamoDB BatchGetItem left keys unprocessed; retry');
    return found;
  }
}

function itemToSummary(item: Item): FlowSummary {
  return {
    id: String(item.id),
    name: String(item.name),
    version: Number(item.version),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

function itemToVersion(item: Item): FlowVersion {
  return {
    id: String(item.id),
    version: Number(item.version),
    definition: item.definition as FlowDefinition,
    createdAt: String(item.createdAt),
  };
}
