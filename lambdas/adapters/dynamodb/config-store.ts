/**
 * Routing configuration on DynamoDB's config table (schema.ts): `ADDR#<address>` items hold e-mail
 * address routes. Every write is one conditional put, update or delete of one item (decision 7);
 * the "in use" guards between routes, flows and templates are in config-references.ts. The table
 * holds tens to hundreds of items, so listing is a filtered, paginated scan.
 */
import { DeleteCommand, GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { TransientError, ValidationError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { referencedFlows } from '../../core/routing/address-route-rules.ts';
import type { AddressRouteStore } from '../../core/routing/config-ports.ts';
import type { EmailAddressRoute } from '../../core/routing/model.ts';
import type { Item } from './item-codec.ts';
import {
  REFERENCE_ATTRIBUTES,
  addReference,
  newReferenceWrite,
  removeReference,
  storedReferenceWrite,
  type ReferenceWrite,
} from './config-references.ts';
import { conditionalPut, dynamoCall, isConditionalCheckFailed } from './dynamo-call.ts';

/** Key prefixes of the config table (schema.ts documents them). */
export const CONFIG_PREFIX = { address: 'ADDR#', flow: 'FLOW#', flowVersion: 'FLOWV#', template: 'TEMPLATE#', domain: 'DOMAIN#' } as const;

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

/** A delete retries this often when the route keeps changing between its read and its delete. */
const MAX_ROUTE_DELETE_ATTEMPTS = 3;

/**
 * {@link AddressRouteStore} on the config table. A route that names flows registers itself on
 * each flow's pointer item first (config-references.ts), so a flow cannot be deleted while a
 * route names it, and a route cannot name a flow being deleted. Updates and deletes are
 * conditional on the revision read, so concurrent updates never silently overwrite each other.
 */
export class DynamoAddressRouteStore implements AddressRouteStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(address: string): Promise<EmailAddressRoute | undefined> {
    const item = await this.getItem(address);
    return item ? itemToRoute(item) : undefined;
  }

  async list(): Promise<readonly EmailAddressRoute[]> {
    const routes = (await scanPrefix(this.doc, this.tableName, CONFIG_PREFIX.address)).map(itemToRoute);
    return routes.sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  }

  /**
   * Conditional put on a new key: two admins creating one address get one route and one `exists`.
   * @throws ValidationError when a flow the route names does not exist (or is being deleted)
   */
  async create(route: EmailAddressRoute): Promise<'created' | 'exists'> {
    const write = await this.claimFlows(route);
    if (await this.put(route, write, 1, ['attribute_not_exists(pk)'])) return 'created';
    await this.releaseFlows(route, write);
    return 'exists';
  }

  /**
   * Conditional replace of the route as it was read: `conflict` when it changed meanwhile, or
   * when `expectedUpdatedAt` is given and is not the stored `updatedAt` (the caller read an older
   * route); `missing` when there is none (the caller keeps `createdAt`).
   * @throws ValidationError when a flow the route names does not exist (or is being deleted)
   */
  async update(route: EmailAddressRoute, expectedUpdatedAt?: string): Promise<'updated' | 'missing' | 'conflict'> {
    const current = await this.getItem(route.address);
    if (!current) return 'missing';
    if (expectedUpdatedAt !== undefined && current.updatedAt !== expectedUpdatedAt) return 'conflict';
    const write = await this.claimFlows(route);
    if (!(await this.put(route, write, revisionOf(current) + 1, sameRevision(current)))) {
      await this.releaseFlows(route, write);
      return (await this.getItem(route.address)) ? 'conflict' : 'missing';
    }
    await this.releaseFlows(itemToRoute(current), storedReferenceWrite(current, route.address));
    return 'updated';
  }

  /** Deletes the route, then its references on the flows it named; `false` when there was none. */
  async delete(address: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_ROUTE_DELETE_ATTEMPTS; attempt++) {
      const current = await this.getItem(address);
      if (!current) return false;
      const [condition, names, values] = sameRevision(current);
      try {
        await dynamoCall('DeleteItem', () =>
          this.doc.send(
            new DeleteCommand({
              TableName: this.tableName,
              Key: { pk: addressPk(address) },
              ConditionExpression: condition,
              ExpressionAttributeNames: names,
              ...(values && { ExpressionAttributeValues: values }),
            }),
          ),
        );
      } catch (err) {
        if (isConditionalCheckFailed(err)) continue;
        throw err;
      }
      await this.releaseFlows(itemToRoute(current), storedReferenceWrite(current, address));
      return true;
    }
    throw new TransientError('address-write-conflict', `address ${address} is being changed by other writers; retry`);
  }

  /** The write key of the route of `address`, for sweeping stale references (undefined: no route). */
  async currentReferenceKey(address: string): Promise<string | undefined> {
    return storedReferenceWrite(await this.getItem(address), address)?.key;
  }

  /** Step 1 of config-references.ts: registers the route on every flow it names. */
  private async claimFlows(route: EmailAddressRoute): Promise<ReferenceWrite> {
    const write = newReferenceWrite(route.address);
    const claimed: string[] = [];
    for (const flowId of referencedFlows(route)) {
      if (!(await addReference(this.doc, this.tableName, `${CONFIG_PREFIX.flow}${flowId}`, write))) {
        for (const done of claimed) await removeReference(this.doc, this.tableName, `${CONFIG_PREFIX.flow}${done}`, write);
        const field = route.routing.kind === 'flow' && route.routing.flowId === flowId ? 'routing.flowId' : 'spamRouting.flowId';
        throw new ValidationError({ [field]: `flow ${flowId} does not exist (or is being deleted)` }, {}, { [field]: ERROR_REASONS.flowNotFound });
      }
      claimed.push(flowId);
    }
    return write;
  }

  private async releaseFlows(route: EmailAddressRoute, write: ReferenceWrite | undefined): Promise<void> {
    if (!write) return;
    for (const flowId of referencedFlows(route)) await removeReference(this.doc, this.tableName, `${CONFIG_PREFIX.flow}${flowId}`, write);
  }

  private async getItem(address: string): Promise<Item | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: addressPk(address) }, ConsistentRead: true })),
    );
    return out.Item;
  }

  private async put(
    route: EmailAddressRoute,
    write: ReferenceWrite,
    revision: number,
    [condition, names, values]: [string, Record<string, string>?, Record<string, unknown>?],
  ): Promise<boolean> {
    const item = { ...plain(route), pk: addressPk(route.address), revision, [REFERENCE_ATTRIBUTES.refKey]: write.key, [REFERENCE_ATTRIBUTES.refAt]: write.at };
    return conditionalPut(this.doc, this.tableName, item, condition, names, values);
  }
}

/** The stored revision of a route item (0 for routes written before revisions existed). */
function revisionOf(current: Item): number {
  return typeof current.revision === 'number' ? current.revision : 0;
}

/**
 * The condition "the route is still the one read": its revision (routes written before revisions
 * existed have none, and are matched by their `updatedAt`).
 */
function sameRevision(current: Item): [string, Record<string, string>, Record<string, unknown> | undefined] {
  if (typeof current.revision === 'number') return ['#revision = :revision', { '#revision': 'revision' }, { ':revision': current.revision }];
  return ['attribute_not_exists(#revision) AND #updatedAt = :updatedAt', { '#revision': 'revision', '#updatedAt': 'updatedAt' }, { ':updatedAt': current.updatedAt }];
}

/** The route in an item: the key, revision and reference attributes are not part of it. */
function itemToRoute(item: Item): EmailAddressRoute {
  const { pk: _pk, revision: _r, [REFERENCE_ATTRIBUTES.refKey]: _k, [REFERENCE_ATTRIBUTES.refAt]: _a, ...route } = item;
  return route as unknown as EmailAddressRoute;
}
