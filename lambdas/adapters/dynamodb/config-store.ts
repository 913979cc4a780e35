/**
 * Routing configuration on DynamoDB's config table (schema.ts): `ADDR#<address>` items hold e-mail
 * address routes. Every write is one conditional put or delete (decision 7); the table holds tens
 * to hundreds of items, so listing is a filtered, paginated scan.
 */
import { DeleteCommand, GetCommand, PutCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AddressRouteStore } from '../../core/routing/config-ports.ts';
import type { EmailAddressRoute } from '../../core/routing/model.ts';
import type { Item } from './item-codec.ts';
import { dynamoCall, isConditionalCheckFailed } from './sdk-errors.ts';

/** Key prefixes of the config table (schema.ts documents them). */
export const CONFIG_PREFIX = { address: 'ADDR#', flow: 'FLOW#', flowVersion: 'FLOWV#', template: 'TEMPLATE#' } as const;

export const addressPk = (address: string): string => `${CONFIG_PREFIX.address}${address}`;

/**
 * All items of the config table whose key starts with `prefix`, every page followed. Why a scan:
 * the table has a partition key only, and its few hundred items fit in one or two pages.
 */
export async function scanPrefix(doc: DynamoDBDocumentClient, tableName: string, prefix: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await dynamoCall('Scan', () =>
      doc.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: 'begins_with(pk, :prefix)',
          ExpressionAttributeValues: { ':prefix': prefix },
          ConsistentRead: true,
          ...(start && { ExclusiveStartKey: start }),
        }),
      ),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}

/** A JSON value without `undefined` members, so any document client can write it. */
export function plain<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** {@link AddressRouteStore} on the config table. */
export class DynamoAddressRouteStore implements AddressRouteStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(address: string): Promise<EmailAddressRoute | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: addressPk(address) }, ConsistentRead: true })),
    );
    return out.Item ? itemToRoute(out.Item) : undefined;
  }

  async list(): Promise<readonly EmailAddressRoute[]> {
    const routes = (await scanPrefix(this.doc, this.tableName, CONFIG_PREFIX.address)).map(itemToRoute);
    return routes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  /** Conditional put on a new key: two admins creating one address get one route and one `exists`. */
  async create(route: EmailAddressRoute): Promise<'created' | 'exists'> {
    return (await this.put(route, 'attribute_not_exists(pk)')) ? 'created' : 'exists';
  }

  /** Conditional put on an existing key: an update never resurrects a deleted route. */
  async update(route: EmailAddressRoute): Promise<'updated' | 'missing'> {
    return (await this.put(route, 'attribute_exists(pk)')) ? 'updated' : 'missing';
  }

  async delete(address: string): Promise<boolean> {
    try {
      await dynamoCall('DeleteItem', () =>
        this.doc.send(
          new DeleteCommand({ TableName: this.tableName, Key: { pk: addressPk(address) }, ConditionExpression: 'attribute_exists(pk)' }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }

  private async put(route: EmailAddressRoute, condition: string): Promise<boolean> {
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...plain(route), pk: addressPk(route.address) },
            ConditionExpression: condition,
          }),
        ),
      );
      return true;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return false;
      throw err;
    }
  }
}

/** The route in an item: the key attribute is not part of it. */
function itemToRoute(item: Item): EmailAddressRoute {
  const { pk: _pk, ...route } = item;
  return route as unknown as EmailAddressRoute;
}
