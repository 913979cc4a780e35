/**
 * Versioned flows on DynamoDB's config table: `FLOW#<id>` is the flow's pointer (name, current
 * version, timestamps) and `FLOWV#<id>#<version>` one immutable definition. A write adds a version
 * item with a conditional put (the version number is the lock: two concurrent writers cannot both
 * create version n) and then moves the pointer forward only, with a conditional update that keeps
 * the pointer's `usedBy` references (the address routes naming the flow: config-references.ts).
 * No transactions (decision 7), so the same code runs on DynamoDB Local and dynalite.
 */
import { BatchGetCommand, DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError, TransientError, ValidationError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { referencedTemplates } from '../../core/routing/ack-template.ts';
import type { FlowStore } from '../../core/routing/config-ports.ts';
import type { FlowDefinition, FlowSummary, FlowVersion } from '../../core/routing/flow.ts';
import {
  REFERENCE_ATTRIBUTES,
  addReference,
  newReferenceWrite,
  referrersOf,
  removeReference,
  storedReferenceWrite,
  sweepStaleReferences,
  type ReferenceWrite,
} from './config-references.ts';
import { CONFIG_PREFIX, plain, scanPrefix } from './config-store.ts';
import type { Item } from './item-codec.ts';
import { templatePk } from './template-store.ts';
import { conditionalPut, dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';

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
   * Adds the next version and makes it current. The templates the definition names are claimed
   * first (config-references.ts), so none of them can be deleted while this version is current.
   * @throws ValidationError when a template the definition names does not exist
   * @throws ConflictError `flow-being-deleted` when the flow is being deleted
   * @throws TransientError when other writers keep taking the next version number
   */
  async put(id: string, definition: FlowDefinition, at: Date): Promise<FlowVersion> {
    const iso = at.toISOString();
    const write = await this.claimTemplates(id, definition);
    let tried = 0;
    for (let attempt = 0; attempt < MAX_FLOW_PUT_ATTEMPTS; attempt++) {
      const current = await this.get(id);
      const version = Math.max((current?.version ?? 0) + 1, tried + 1);
      tried = version;
      const stored: FlowVersion = { id, version, definition: plain(definition), createdAt: iso };
      if (!(await conditionalPut(this.doc, this.tableName, { ...stored, pk: flowVersionPk(id, version) }, 'attribute_not_exists(pk)'))) continue;
      const previous = await this.movePointer(id, definition.name, version, iso, write);
      // Not current (a newer version won the pointer): this version's claims are nobody's.
      if (previous === 'behind') await this.releaseTemplates(definition, write);
      else if (previous) await this.releaseTemplates((await this.getVersion(id, Number(previous.version)))?.definition, storedReferenceWrite(previous, id));
      return stored;
    }
    await this.releaseTemplates(definition, write);
    throw new TransientError('flow-write-conflict', `flow ${id} is being changed by other writers; retry`);
  }

  /**
   * Deletes the versions first and the pointer last, so a failed delete can simply be repeated.
   * The pointer is first marked `deleting`, on the condition that no address route names the flow
   * (config-references.ts): from then on no route can name it.
   * @throws ConflictError `flow-in-use` when an address route names the flow
   */
  async delete(id: string): Promise<boolean> {
    const pointer = await this.getItem(flowPk(id));
    if (!pointer) return false;
    if (pointer[REFERENCE_ATTRIBUTES.deleting] === undefined && !(await this.markDeleting(id))) return false;
    const current = await this.getVersion(id, Number(pointer.version));
    const keys = Array.from({ length: Number(pointer.version) }, (_, n) => flowVersionPk(id, n + 1));
    for (let n = 0; n < keys.length; n += DELETE_CONCURRENCY) {
      await Promise.all(keys.slice(n, n + DELETE_CONCURRENCY).map((pk) => this.deleteItem(pk)));
    }
    await this.releaseTemplates(current?.definition, storedReferenceWrite(pointer, id));
    await this.deleteItem(flowPk(id));
    return true;
  }

  /** The write key of the flow's current version, for sweeping stale references (undefined: no flow). */
  async currentReferenceKey(id: string): Promise<string | undefined> {
    return storedReferenceWrite(await this.getItem(flowPk(id)), id)?.key;
  }

  /** Marks the pointer `deleting` if no route names the flow; false when the flow is gone. */
  private async markDeleting(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await dynamoCall('UpdateItem', () =>
          this.doc.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pk: flowPk(id) },
              UpdateExpression: 'SET #deleting = :at',
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#usedBy)',
              ExpressionAttributeNames: { '#deleting': REFERENCE_ATTRIBUTES.deleting, '#usedBy': REFERENCE_ATTRIBUTES.usedBy },
              ExpressionAttributeValues: { ':at': new Date().toISOString() },
            }),
          ),
        );
        return true;
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
      const pointer = await this.getItem(flowPk(id));
      if (!pointer) return false;
      const usedBy = pointer[REFERENCE_ATTRIBUTES.usedBy];
      const swept = await sweepStaleReferences(this.doc, this.tableName, flowPk(id), usedBy, async (address) =>
        storedReferenceWrite(await this.getItem(`${CONFIG_PREFIX.address}${address}`), address)?.key,
      );
      if (!swept) throw new ConflictError(ERROR_REASONS.flowInUse, `flow ${id} is in use by address ${referrersOf(usedBy).join(', ')}`);
    }
    throw new ConflictError(ERROR_REASONS.flowInUse, `flow ${id} is in use`);
  }

  /**
   * Moves the pointer to `version` (only forward, never on a flow being deleted), keeping the
   * references it holds; returns the pointer as it was (undefined for a new flow), or `behind`.
   * @throws ConflictError `flow-being-deleted`
   */
  private async movePointer(id: string, name: string, version: number, iso: string, write: ReferenceWrite): Promise<Item | undefined | 'behind'> {
    try {
      const out = await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: flowPk(id) },
            UpdateExpression: 'SET #id = :id, #name = :name, #version = :version, #createdAt = if_not_exists(#createdAt, :at), #updatedAt = :at, #refKey = :refKey, #refAt = :refAt',
            // Only forward: a slower writer of an older version must not move the pointer back.
            ConditionExpression: '(attribute_not_exists(pk) OR #version < :version) AND attribute_not_exists(#deleting)',
            ExpressionAttributeNames: {
              '#id': 'id', '#name': 'name', '#version': 'version', '#createdAt': 'createdAt', '#updatedAt': 'updatedAt',
              '#refKey': REFERENCE_ATTRIBUTES.refKey, '#refAt': REFERENCE_ATTRIBUTES.refAt, '#deleting': REFERENCE_ATTRIBUTES.deleting,
            },
            ExpressionAttributeValues: { ':id': id, ':name': name, ':version': version, ':at': iso, ':refKey': write.key, ':refAt': write.at },
            ReturnValues: 'ALL_OLD',
          }),
        ),
      );
      return out.Attributes;
    } catch (err) {
      if (!isConditionalCheckFailed(err)) throw err;
    }
    if ((await this.getItem(flowPk(id)))?.[REFERENCE_ATTRIBUTES.deleting] !== undefined) {
      throw new ConflictError(ERROR_REASONS.flowBeingDeleted, `flow ${id} is being deleted`);
    }
    return 'behind';
  }

  /** Step 1 of config-references.ts: registers this write on every template the definition names. */
  private async claimTemplates(id: string, definition: FlowDefinition): Promise<ReferenceWrite> {
    const write = newReferenceWrite(id);
    const claimed: string[] = [];
    for (const templateId of referencedTemplates(definition.rules)) {
      if (!(await addReference(this.doc, this.tableName, templatePk(templateId), write))) {
        for (const done of claimed) await removeReference(this.doc, this.tableName, templatePk(done), write);
        const path = templatePath(definition, templateId);
        throw new ValidationError({ [path]: `template ${templateId} does not exist` }, {}, { [path]: ERROR_REASONS.templateNotFound });
      }
      claimed.push(templateId);
    }
    return write;
  }

  private async releaseTemplates(definition: FlowDefinition | undefined, write: ReferenceWrite | undefined): Promise<void> {
    if (!definition || !write) return;
    for (const templateId of referencedTemplates(definition.rules)) await removeReference(this.doc, this.tableName, templatePk(templateId), write);
  }

  private async getItem(pk: string): Promise<Item | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true })));
    return out.Item;
  }

  private async deleteItem(pk: string): Promise<void> {
    await dynamoCall('DeleteItem', () => this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk } })));
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

/** The JSON path of the first action naming `templateId`, for a field-level error. */
function templatePath(definition: FlowDefinition, templateId: string): string {
  for (const [r, rule] of definition.rules.entries()) {
    for (const [a, action] of rule.then.entries()) if (action.type === 'autoAcknowledge' && action.templateId === templateId) return `rules[${r}].then[${a}].templateId`;
  }
  return 'rules';
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
