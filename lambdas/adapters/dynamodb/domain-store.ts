/**
 * Served e-mail domains on DynamoDB's config table (schema.ts): one `DOMAIN#<name>` item per
 * domain, the record in one `domain` map beside the key and its `updatedAt` (the condition of an
 * update). Every write is one conditional put or delete of one item (decision 7).
 */
import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Domain, DomainStore } from '../../core/domains/domain.ts';
import { CONFIG_PREFIX, plain, scanPrefix } from './config-store.ts';
import { conditionalCall, conditionalPut, dynamoCall } from './dynamo-call.ts';
import type { Item } from './item-codec.ts';

export const domainPk = (name: string): string => `${CONFIG_PREFIX.domain}${name}`;

/** {@link DomainStore} on the config table. */
export class DynamoDomainStore implements DomainStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(name: string): Promise<Domain | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: domainPk(name) }, ConsistentRead: true })),
    );
    return out.Item ? itemToDomain(out.Item) : undefined;
  }

  async list(): Promise<Domain[]> {
    const domains = (await scanPrefix(this.doc, this.tableName, CONFIG_PREFIX.domain)).map(itemToDomain);
    return domains.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async create(domain: Domain): Promise<'created' | 'exists'> {
    const written = await conditionalPut(this.doc, this.tableName, itemOf(domain), 'attribute_not_exists(pk)');
    return written ? 'created' : 'exists';
  }

  async update(domain: Domain, expectedUpdatedAt: string): Promise<'updated' | 'missing' | 'conflict'> {
    const written = await conditionalPut(this.doc, this.tableName, itemOf(domain), 'attribute_exists(pk) AND #updatedAt = :expected', { '#updatedAt': 'updatedAt' }, {
      ':expected': expectedUpdatedAt,
    });
    if (written) return 'updated';
    return (await this.get(domain.name)) ? 'conflict' : 'missing';
  }

  async delete(name: string): Promise<boolean> {
    return conditionalCall('DeleteItem', () =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: domainPk(name) }, ConditionExpression: 'attribute_exists(pk)' })),
    );
  }
}

function itemOf(domain: Domain): Item {
  return { pk: domainPk(domain.name), updatedAt: domain.updatedAt, domain: plain(domain) };
}

/** The domain in an item: the stored map, so no key or stray attribute leaks out. */
function itemToDomain(item: Item): Domain {
  return item.domain as Domain;
}
