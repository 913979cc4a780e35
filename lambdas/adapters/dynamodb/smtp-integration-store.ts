/**
 * SMTP integrations on the config table (schema.ts): one `SMTPI#<serverId>` item per registry SMTP
 * server that has sending settings or a sending state (messagesPerMinute, preset, state, lastError,
 * updatedAt). A server without one sends with the defaults and is valid. No secret is stored here:
 * credentials stay in the registry's secret store.
 *
 * {@link DynamoSmtpIntegrationStore.list} is the sender's {@link SmtpIntegrationDirectory}: the
 * registry's SMTP servers (MailServerStore) joined with their items. The state changes are single
 * UpdateItems, so a sender setting `error` and an admin's save setting `valid` never lose a field.
 */
import { DeleteCommand, GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MailServer, MailServerStore } from '../../core/mailboxes/server.ts';
import type { SmtpIntegration, SmtpIntegrationDirectory } from '../../core/outbound/outbound-ports.ts';
import type { OutboxFailure } from '../../core/outbound/outbox.ts';
import { smtpIntegrationHealth, type SmtpIntegrationHealth } from '../../core/outbound/smtp-integration-status.ts';
import {
  DEFAULT_MESSAGES_PER_MINUTE,
  applySmtpIntegrationUpdate,
  defaultSmtpIntegrationRecord,
  smtpIntegrationOf,
  type SmtpIntegrationRecord,
  type SmtpIntegrationUpdate,
} from '../../core/outbound/smtp-integration.ts';
import { plain } from './config-store.ts';
import { DynamoMailServerStore } from './mail-server-store.ts';
import { conditionalCall, dynamoCall } from './dynamo-call.ts';
import type { Item } from './item-codec.ts';

/** Key prefix of SMTP integration items. */
export const SMTP_INTEGRATION_PREFIX = 'SMTPI#';
export const smtpIntegrationPk = (serverId: string): string => `${SMTP_INTEGRATION_PREFIX}${serverId}`;

/**
 * An SMTP server of the registry with its sending settings and its one status (the API's, the CLI's
 * and the console's view): `status` and `problem` join the server's health and the sending state
 * (smtp-integration-status.ts), so a server disabled after a failed connection test never shows as
 * fine. The sending state alone (`state`, `lastError`) stays the sender's and is not answered.
 */
export interface SmtpIntegrationView extends Omit<SmtpIntegration, 'state' | 'lastError' | 'problem'>, SmtpIntegrationHealth {
  readonly preset: SmtpIntegrationRecord['preset'];
  readonly host: string;
  readonly port: number;
  readonly updatedAt: string;
}

/** The SMTP integrations: settings and state per server, the directory over the registry. */
export class DynamoSmtpIntegrationStore implements SmtpIntegrationDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly servers: Pick<MailServerStore, 'get' | 'list'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The stored item of `serverId`; undefined while it has none (defaults apply). */
  async get(serverId: string): Promise<SmtpIntegrationRecord | undefined> {
    const out = await dynamoCall('GetItem', () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: smtpIntegrationPk(serverId) }, ConsistentRead: true })),
    );
    return out.Item ? recordOf(out.Item) : undefined;
  }

  /** Every SMTP server of the registry as an integration (enabled or not), by name: the sender's directory. */
  async list(): Promise<SmtpIntegration[]> {
    return (await this.joined()).map(([s, r]) => smtpIntegrationOf(s, r));
  }

  /** Every integration as admins see it: {@link list}'s with its status, preset, host, port and the record's time. */
  async views(): Promise<SmtpIntegrationView[]> {
    return (await this.joined()).map(([s, r]) => viewOf(s, r));
  }

  /** The registry's SMTP servers, each with its record. */
  private async joined(): Promise<[MailServer, SmtpIntegrationRecord | undefined][]> {
    const smtp = (await this.servers.list()).filter((s) => s.type === 'smtp');
    // At most 20 SMTP servers (seed 004), so one read each is bounded.
    const records = await Promise.all(smtp.map((s) => this.get(s.id)));
    return smtp.map((s, i) => [s, records[i]]);
  }

  /** One SMTP server as an integration; undefined when the registry has no SMTP server `serverId`. */
  async view(serverId: string): Promise<SmtpIntegrationView | undefined> {
    const server = await this.servers.get(serverId);
    if (!server || server.type !== 'smtp') return undefined;
    return viewOf(server, await this.get(serverId));
  }

  /**
   * Applies an admin's update (core's rules) to the stored settings; the state is left as it is.
   * Undefined when the registry has no SMTP server `serverId`.
   * @throws ValidationError per field
   */
  async update(serverId: string, update: SmtpIntegrationUpdate): Promise<SmtpIntegrationView | undefined> {
    const server = await this.servers.get(serverId);
    if (!server || server.type !== 'smtp') return undefined;
    const at = this.now().toISOString();
    const next = applySmtpIntegrationUpdate((await this.get(serverId)) ?? defaultSmtpIntegrationRecord(serverId, at), update, at);
    await dynamoCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: smtpIntegrationPk(serverId) },
          UpdateExpression: 'SET serverId = :id, messagesPerMinute = :rate, preset = :preset, updatedAt = :at, #state = if_not_exists(#state, :valid)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':id': serverId, ':rate': next.messagesPerMinute, ':preset': next.preset, ':at': at, ':valid': 'valid' },
        }),
      ),
    );
    return viewOf(server, (await this.get(serverId)) ?? next);
  }

  /** The sender's port: `error` with the failure (authentication failed, repeated 5xx); sends through it are held. */
  async setError(serverId: string, failure: OutboxFailure): Promise<void> {
    await dynamoCall('UpdateItem', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: smtpIntegrationPk(serverId) },
          UpdateExpression:
            'SET serverId = :id, #state = :error, lastError = :failure, updatedAt = :at, ' +
            'messagesPerMinute = if_not_exists(messagesPerMinute, :rate), preset = if_not_exists(preset, :custom)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: {
            ':id': serverId,
            ':error': 'error',
            ':failure': plain(failure),
            ':at': this.now().toISOString(),
            ':rate': DEFAULT_MESSAGES_PER_MINUTE,
            ':custom': 'custom',
          },
        }),
      ),
    );
  }

  /**
   * Back to `valid` (the reset rule of OUT-5), the last error dropped. Answers the state it had:
   * `error`, `valid`, or `none` when it had no item (nothing to write then).
   */
  async setValid(serverId: string): Promise<'error' | 'valid' | 'none'> {
    try {
      const out = await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: smtpIntegrationPk(serverId) },
            UpdateExpression: 'SET #state = :valid, updatedAt = :at REMOVE lastError',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':valid': 'valid', ':at': this.now().toISOString() },
            ReturnValues: 'UPDATED_OLD',
          }),
        ),
      );
      return out.Attributes?.state === 'error' ? 'error' : 'valid';
    } catch (err) {
      if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return 'none';
      throw err;
    }
  }

  /** Removes the item of a deleted server; false when it had none. */
  async delete(serverId: string): Promise<boolean> {
    return conditionalCall('DeleteItem', () =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: smtpIntegrationPk(serverId) }, ConditionExpression: 'attribute_exists(pk)' })),
    );
  }
}

function viewOf(server: MailServer, record: SmtpIntegrationRecord | undefined): SmtpIntegrationView {
  const { state: _state, lastError: _lastError, problem: _problem, ...integration } = smtpIntegrationOf(server, record);
  return {
    ...integration,
    ...smtpIntegrationHealth(server, record ?? defaultSmtpIntegrationRecord(server.id, server.updatedAt)),
    preset: record?.preset ?? 'custom',
    host: server.host,
    port: server.port,
    updatedAt: record?.updatedAt ?? server.updatedAt,
  };
}

function recordOf(item: Item): SmtpIntegrationRecord {
  const lastError = item.lastError as OutboxFailure | undefined;
  return {
    serverId: String(item.serverId),
    messagesPerMinute: Number(item.messagesPerMinute ?? DEFAULT_MESSAGES_PER_MINUTE),
    preset: (item.preset as SmtpIntegrationRecord['preset'] | undefined) ?? 'custom',
    state: item.state === 'error' ? 'error' : 'valid',
    ...(lastError && { lastError }),
    updatedAt: String(item.updatedAt),
  };
}

/** The store over `configTable` with the registry's server store on the same table (the API's and the sender's wiring). */
export function smtpIntegrationStore(doc: DynamoDBDocumentClient, configTable: string): DynamoSmtpIntegrationStore {
  return new DynamoSmtpIntegrationStore(doc, configTable, new DynamoMailServerStore(doc, configTable));
}
