/**
 * The local runtime's user directory: each user one `USER#<username>` item of the config table
 * (role, enabled, email, createdAt), its password hash in a 0600 file of the issuer's folder (a
 * FileSecretStore keyed by username). Why apart: secrets and what verifies them never go into
 * DynamoDB (the table is read by the API, exported and backed up); the hash file is read only by
 * the runtime's sign-in.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ROLES, type Role } from '../../../contract/console.ts';
import { temporaryPassword, type CreatedUser, type NewUser, type User, type UserChanges, type UserDirectory } from '../../core/access/user-directory.ts';
import { ConflictError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import type { SecretStore } from '../../core/mailboxes/server.ts';
import { conditionalCall, dynamoCall, isConditionalCheckFailed } from '../dynamodb/dynamo-call.ts';
import type { Item } from '../dynamodb/item-codec.ts';
import { scanPrefix } from '../dynamodb/config-store.ts';
import { userPk } from '../dynamodb/schema.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

const USER_PREFIX = userPk('');

/** {@link UserDirectory} of the local runtime; see the module comment. */
export class LocalUserDirectory implements UserDirectory {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Password hashes by username (never the passwords). */
    private readonly hashes: Pick<SecretStore, 'get' | 'put' | 'delete'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Conditional put of the record, then the hash; a generated password is answered once. */
  async create(input: NewUser): Promise<CreatedUser> {
    const password = input.password ?? temporaryPassword();
    // Hashed before the record exists, so a user is never left signed-in-able without a hash.
    const hash = await hashPassword(password);
    const user: User = {
      username: input.username,
      role: input.role,
      enabled: true,
      ...(input.email !== undefined && { email: input.email }),
      createdAt: this.now().toISOString(),
    };
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: userPk(user.username), ...user }, ConditionExpression: 'attribute_not_exists(pk)' })),
      );
    } catch (err) {
      if (isConditionalCheckFailed(err)) throw new ConflictError(ERROR_REASONS.userNameTaken, `user ${user.username} already exists`, { username: 'is taken by another user' });
      throw err;
    }
    await this.hashes.put(user.username, hash);
    return { user, ...(input.password === undefined && { temporaryPassword: password }) };
  }

  /** All users sorted by username; a filtered scan of the small config table. */
  async list(): Promise<readonly User[]> {
    const users = (await scanPrefix(this.doc, this.tableName, USER_PREFIX)).map(itemToUser);
    return users.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  async get(username: string): Promise<User | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: userPk(username) }, ConsistentRead: true })));
    return out.Item ? itemToUser(out.Item) : undefined;
  }

  /** One conditional update of the given fields; undefined when there is no such user. */
  async update(username: string, changes: UserChanges): Promise<User | undefined> {
    const sets: string[] = [];
    const values: Record<string, unknown> = {};
    if (changes.role !== undefined) (sets.push('#role = :role'), (values[':role'] = changes.role));
    if (changes.enabled !== undefined) (sets.push('enabled = :enabled'), (values[':enabled'] = changes.enabled));
    if (sets.length === 0) return this.get(username);
    try {
      const out = await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: userPk(username) },
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ...(changes.role !== undefined && { ExpressionAttributeNames: { '#role': 'role' } }),
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return out.Attributes ? itemToUser(out.Attributes) : undefined;
    } catch (err) {
      if (isConditionalCheckFailed(err)) return undefined;
      throw err;
    }
  }

  /** Deletes the record, then the hash (a hash without a record signs nobody in). */
  async remove(username: string): Promise<boolean> {
    const removed = await conditionalCall('DeleteItem', () =>
      this.doc.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: userPk(username) }, ConditionExpression: 'attribute_exists(pk)' })),
    );
    await this.hashes.delete(username);
    return removed;
  }

  /**
   * The user when `password` is theirs and they are enabled, else undefined (the sign-in does not
   * say which was wrong). Takes as long for an unknown username as for a known one.
   */
  async authenticate(username: string, password: string): Promise<User | undefined> {
    const [user, hash] = await Promise.all([this.get(username), this.hashes.get(username)]);
    const matches = await verifyPassword(password, user ? hash : undefined);
    return matches && user?.enabled ? user : undefined;
  }
}

/** A user read back; unknown attributes are dropped so nothing else leaks into the API. */
function itemToUser(item: Item): User {
  const role = ROLES.includes(item.role as Role) ? (item.role as Role) : 'agent';
  return {
    username: String(item.username),
    role,
    enabled: item.enabled !== false,
    ...(typeof item.email === 'string' && { email: item.email }),
    ...(typeof item.createdAt === 'string' && { createdAt: item.createdAt }),
  };
}
