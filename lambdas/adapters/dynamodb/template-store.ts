/**
 * Stored auto-acknowledgement templates on DynamoDB's config table (schema.ts): one
 * `TEMPLATE#<id>` item per template. A put is one unconditional write that returns the old item,
 * so "created or replaced" is known without a second read (decision 7: no transactions).
 */
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { StoredAckTemplate, TemplateStore } from '../../core/routing/ack-template.ts';
import { CONFIG_PREFIX, plain, scanPrefix } from './config-store.ts';
import type { Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './sdk-errors.ts';

export const templatePk = (id: string): string => `${CONFIG_PREFIX.template}${id}`;

/** {@link TemplateStore} on the config table. */
export class DynamoTemplateStore implements TemplateStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(id: string): Promise<StoredAckTemplate | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: templatePk(id) }, ConsistentRead: true })),
    );
    return out.Item ? itemToTemplate(out.Item) : undefined;
  }

  async list(): Promise<readonly StoredAckTemplate[]> {
    const templates = (await scanPrefix(this.doc, this.tableName, CONFIG_PREFIX.template)).map(itemToTemplate);
    return templates.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async put(template: StoredAckTemplate): Promise<'created' | 'replaced'> {
    const out = await dynamoCall('PutItem', () =>
      this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: { ...plain(template), pk: templatePk(template.id) }, ReturnValues: 'ALL_OLD' }),
      ),
    );
    return out.Attributes ? 'replaced' : 'created';
  }

  async delete(id: string): Promise<boolean> {
    try {
      await dynamoCall('DeleteItem', () =>
        this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: templatePk(id) }, ConditionExpression: 'attribute_exists(pk)' })),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}

/** The template in an item, read field by field so no key or stray attribute leaks out. */
function itemToTemplate(item: Item): StoredAckTemplate {
  return {
    id: String(item.id),
    name: String(item.name),
    subject: String(item.subject),
    body: String(item.body),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}
