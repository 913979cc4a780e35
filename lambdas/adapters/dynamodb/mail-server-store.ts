/**
 * The mail server registry on DynamoDB's config table (schema.ts): one `SRV#<id>` item per server:
 * the settings (with id, secretRef, timestamps) in a `server` map, the health in a `health` map,
 * beside the key and `updatedAt` (the condition of an admin's update). An update replaces only
 * `server` and setHealth writes only fields of `health`, never conditional on `updatedAt`: a poll
 * finishing during an edit neither fails nor undoes it, and the edit does not undo the poll's counters.
 *
 * SRV-8 "at most one template server" is kept by a guard item `SRVROLE#template` naming the one
 * server allowed to be the template server: it is taken (conditional put) before a server is stored
 * as template and released (conditional delete) when that server stops being one or is deleted.
 * Two concurrent saves cannot both take it, whatever they read before (decision 7: single-item
 * conditional writes, no transactions).
 */
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { ValidationError } from '../../core/errors.ts';
import { MAIL_SERVER_HEALTH_FIELDS, type MailServer, type MailServerHealth, type MailServerStore } from '../../core/mailboxes/server.ts';
import { plain, scanPrefix } from './config-store.ts';
import { conditionalCall, conditionalPut, dynamoCall } from './dynamo-call.ts';
import type { Item } from './item-codec.ts';

/** Key prefix of server items. */
export const MAIL_SERVER_PREFIX = 'SRV#';
/** The key of the template-role guard item. */
export const TEMPLATE_GUARD_PK = 'SRVROLE#template';

export const mailServerPk = (id: string): string => `${MAIL_SERVER_PREFIX}${id}`;

/** Every field of {@link MailServerHealth}: the only fields {@link DynamoMailServerStore.setHealth} writes. */
export { MAIL_SERVER_HEALTH_FIELDS };

/**
 * A guard naming a server that is not (or no longer) the template server is left behind only by a
 * save that crashed between taking the guard and storing the server, which takes milliseconds. A
 * guard that old is reclaimed; a younger one may belong to a save still under way, so it holds.
 */
export const TEMPLATE_GUARD_STALE_MS = 60_000;

/** Taking the guard retries this often when it changes between the read and the write (races only). */
const MAX_GUARD_ATTEMPTS = 3;

/** {@link MailServerStore} on the config table; see the module comment for the items. */
export class DynamoMailServerStore implements MailServerStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async get(id: string): Promise<MailServer | undefined> {
    const item = await this.getItem(mailServerPk(id));
    return item ? itemToServer(item) : undefined;
  }

  async list(): Promise<MailServer[]> {
    const servers = (await scanPrefix(this.doc, this.tableName, MAIL_SERVER_PREFIX)).map(itemToServer);
    return servers.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1));
  }

  /** @throws ValidationError on `role` when the record is a template server and another server is one */
  async create(server: MailServer): Promise<'created' | 'exists'> {
    const took = server.role === 'template' ? await this.takeTemplateGuard(server.id) : false;
    const written = await conditionalPut(this.doc, this.tableName, itemOf(server), 'attribute_not_exists(pk)');
    if (!written && took) await this.releaseTemplateGuard(server.id);
    return written ? 'created' : 'exists';
  }

  /**
   * Replaces the settings (the record's health fields are not written: {@link setHealth} does that).
   * @throws ValidationError on `role` when the record is a template server and another server is one
   */
  async update(server: MailServer, expectedUpdatedAt: string): Promise<'updated' | 'missing' | 'conflict'> {
    const took = server.role === 'template' ? await this.takeTemplateGuard(server.id) : false;
    const written = await conditionalCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: mailServerPk(server.id) },
          UpdateExpression: 'SET #server = :server, #updatedAt = :updatedAt',
          ConditionExpression: 'attribute_exists(pk) AND #updatedAt = :expected',
          ExpressionAttributeNames: { '#server': 'server', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':server': plain(splitServer(server).settings), ':updatedAt': server.updatedAt, ':expected': expectedUpdatedAt },
        }),
      ),
    );
    if (!written) {
      if (took) await this.releaseTemplateGuard(server.id);
      return (await this.getItem(mailServerPk(server.id))) ? 'conflict' : 'missing';
    }
    // Stopped being the template server (or never was): free the guard if it names this server.
    if (server.role !== 'template') await this.releaseTemplateGuard(server.id);
    return 'updated';
  }

  /**
   * Sets every health field `health` has and removes every one it has with the value `undefined`
   * (`{ state: 'ok', lastError: undefined }` clears the error); fields it does not mention are kept,
   * so the connection test and a poll writing at the same time do not undo each other's counters.
   */
  async setHealth(id: string, health: MailServerHealth): Promise<'updated' | 'missing'> {
    const names: Record<string, string> = { '#health': 'health' };
    const values: Record<string, unknown> = {};
    const sets: string[] = [];
    const removes: string[] = [];
    for (const field of MAIL_SERVER_HEALTH_FIELDS) {
      if (!(field in health)) continue;
      names[`#${field}`] = field;
      const value = health[field];
      if (value === undefined) removes.push(`#health.#${field}`);
      else {
        values[`:${field}`] = value;
        sets.push(`#health.#${field} = :${field}`);
      }
    }
    if (sets.length + removes.length === 0) return (await this.getItem(mailServerPk(id))) ? 'updated' : 'missing';
    const expression = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].join(' ').trim();
    const written = await conditionalCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: mailServerPk(id) },
          UpdateExpression: expression,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ...(sets.length > 0 && { ExpressionAttributeValues: values }),
        }),
      ),
    );
    return written ? 'updated' : 'missing';
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await conditionalCall('DeleteItem', () =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: mailServerPk(id) }, ConditionExpression: 'attribute_exists(pk)' })),
    );
    // Always, also when it was gone: a crash after the delete must not keep the role taken.
    await this.releaseTemplateGuard(id);
    return deleted;
  }

  /**
   * Makes the guard name `id`. True when this call took it (the caller releases it if its save then
   * fails), false when it named `id` already.
   * @throws ValidationError on `role` when it names another server that is still the template server
   */
  private async takeTemplateGuard(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_GUARD_ATTEMPTS; attempt += 1) {
      const guard = await this.getItem(TEMPLATE_GUARD_PK);
      if (guard?.serverId === id) return false;
      const at = this.now().toISOString();
      if (!guard) {
        if (await conditionalPut(this.doc, this.tableName, { pk: TEMPLATE_GUARD_PK, serverId: id, takenAt: at }, 'attribute_not_exists(pk)')) return true;
        continue;
      }
      const holder = String(guard.serverId);
      if (!(await this.isStale(guard, holder))) throw templateTaken(holder);
      const replaced = await conditionalPut(this.doc, this.tableName, { pk: TEMPLATE_GUARD_PK, serverId: id, takenAt: at }, '#serverId = :holder AND #takenAt = :takenAt', { '#serverId': 'serverId', '#takenAt': 'takenAt' }, {
        ':holder': holder,
        ':takenAt': guard.takenAt,
      });
      if (replaced) return true;
    }
    throw templateTaken('another server');
  }

  /** True when the guard's server is no template server (or gone) and the guard is old enough to be a crash's leftover. */
  private async isStale(guard: Item, holder: string): Promise<boolean> {
    const age = this.now().getTime() - Date.parse(String(guard.takenAt));
    if (!(age >= TEMPLATE_GUARD_STALE_MS)) return false;
    const server = await this.get(holder);
    return server?.role !== 'template';
  }

  /** Deletes the guard if it names `id`; nothing otherwise. */
  private async releaseTemplateGuard(id: string): Promise<void> {
    await conditionalCall('DeleteItem', () =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: TEMPLATE_GUARD_PK },
          ConditionExpression: '#serverId = :id',
          ExpressionAttributeNames: { '#serverId': 'serverId' },
          ExpressionAttributeValues: { ':id': id },
        }),
      ),
    );
  }

  private async getItem(pk: string): Promise<Item | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk }, ConsistentRead: true })));
    return out.Item;
  }
}

function itemOf(server: MailServer): Item {
  const { settings, health } = splitServer(server);
  return { pk: mailServerPk(server.id), updatedAt: server.updatedAt, server: plain(settings), health: plain(health) };
}

/** The record apart: its health fields, and everything else. */
function splitServer(server: MailServer): { settings: Record<string, unknown>; health: Record<string, unknown> } {
  const settings: Record<string, unknown> = { ...server };
  const health: Record<string, unknown> = {};
  for (const field of MAIL_SERVER_HEALTH_FIELDS) {
    if (settings[field] !== undefined) health[field] = settings[field];
    delete settings[field];
  }
  return { settings, health };
}

/** The record in an item: the two maps, so no key or stray attribute leaks out. */
function itemToServer(item: Item): MailServer {
  return { ...(item.server as object), ...(item.health as object) } as MailServer;
}

function templateTaken(holder: string): ValidationError {
  return new ValidationError(
    { role: `server ${holder} is the template server already; make it an agent server first` },
    {},
    { role: ERROR_REASONS.mailServerTemplateTaken },
  );
}
