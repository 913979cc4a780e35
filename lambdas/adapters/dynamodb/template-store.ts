/**
 * Stored auto-acknowledgement templates on DynamoDB's config table (schema.ts): one
 * `TEMPLATE#<id>` item per template. A put is one unconditional update that returns the old item,
 * so "created or replaced" is known without a second read (decision 7: no transactions); a delete
 * is conditional on no flow naming the template (config-references.ts).
 */
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../../core/errors.ts';
import type { StoredAckTemplate, TemplateStore } from '../../core/routing/ack-template.ts';
import { REFERENCE_ATTRIBUTES, referrersOf, storedReferenceWrite, sweepStaleReferences } from './config-references.ts';
import { CONFIG_PREFIX, plain, scanPrefix } from './config-store.ts';
import type { Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';

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

  /**
   * Creates or replaces the template's fields in one update that returns the old item, so
   * "created or replaced" is known without a second read; the `usedBy` references of the flows
   * naming it are kept (a put must not make a template in use look unused).
   */
  async put(template: StoredAckTemplate): Promise<'created' | 'replaced'> {
    const t = plain(template);
    const out = await dynamoCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: templatePk(t.id) },
          UpdateExpression: 'SET #id = :id, #name = :name, #subject = :subject, #body = :body, #createdAt = :createdAt, #updatedAt = :updatedAt',
          ExpressionAttributeNames: { '#id': 'id', '#name': 'name', '#subject': 'subject', '#body': 'body', '#createdAt': 'createdAt', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':id': t.id, ':name': t.name, ':subject': t.subject, ':body': t.body, ':createdAt': t.createdAt, ':updatedAt': t.updatedAt },
          ReturnValues: 'ALL_OLD',
        }),
      ),
    );
    return out.Attributes ? 'replaced' : 'created';
  }

  /**
   * One delete, conditional on no flow's current version naming the template (its `usedBy`
   * references, config-references.ts); `false` when there was nothing to delete.
   * @throws ConflictError `template-in-use` when a flow names it
   */
  async delete(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await dynamoCall('DeleteItem', () =>
          this.doc.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: { pk: templatePk(id) },
              ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(#usedBy)',
              ExpressionAttributeNames: { '#usedBy': REFERENCE_ATTRIBUTES.usedBy },
            }),
          ),
        );
        return true;
      } catch (err) {
        if (!isConditionalCheckFailed(err)) throw err;
      }
      const item = await this.getItem(templatePk(id));
      if (!item) return false;
      const usedBy = item[REFERENCE_ATTRIBUTES.usedBy];
      const swept = await sweepStaleReferences(this.doc, this.tableName, templatePk(id), usedBy, async (flowId) =>
        storedReferenceWrite(await this.getItem(`${CONFIG_PREFIX.flow}${flowId}`), flowId)?.key,
      );
      if (!swept) throw new ConflictError(`template ${id} is in use by flow ${referrersOf(usedBy).join(', ')}`, undefined, 'template-in-use');
    }
    throw new ConflictError(`template ${id} is in use`, undefined, 'template-in-use');
  }

  private async getItem(pk: string): Promise<Item | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true })));
    return out.Item;
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
