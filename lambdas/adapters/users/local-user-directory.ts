/**
 * The local runtime's user directory: each user one `USER#<username>` item of the config table
 * (role, enabled, email, createdAt, status and a temporary password's expiry), its password hash in a 0600 file of the issuer's folder (a
 * FileSecretStore keyed by username). Why apart: secrets and what verifies them never go into
 * DynamoDB (the table is read by the API, exported and backed up); the hash file is read only by
 * the runtime's sign-in. As in Cognito, a generated (or reset) password is temporary: it signs in only
 * to choose a new one, and only until it expires (core/access/password-policy.ts); a password an
 * admin gives at creation is permanent.
 */
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ROLES, type Role } from '../../../contract/console.ts';
import { temporaryPasswordExpiry } from '../../core/access/password-policy.ts';
import { temporaryPassword, USER_STATUS, type CreatedUser, type NewUser, type User, type UserChanges, type UserDirectory } from '../../core/access/user-directory.ts';
import { ConflictError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import type { SecretStore } from '../../core/mailboxes/server.ts';
import { conditionalCall, dynamoCall, isConditionalCheckFailed } from '../dynamodb/dynamo-call.ts';
import type { Item } from '../dynamodb/item-codec.ts';
import { scanPrefix } from '../dynamodb/config-store.ts';
import { userPk } from '../dynamodb/schema.ts';
import { hashPassword, verifyPassword } from './password-hash.ts';

const USER_PREFIX = userPk('');

/**
 * What a right password of an enabled user leads to: a sign-in, the new-password step (a valid
 * temporary password), or a refusal telling the user to ask an admin (an expired temporary one).
 */
export type PasswordOutcome = 'signed-in' | 'new-password-required' | 'temporary-expired';

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
    const temporary = input.password === undefined;
    const user: User = {
      username: input.username,
      role: input.role,
      enabled: true,
      ...(input.email !== undefined && { email: input.email }),
      createdAt: this.now().toISOString(),
      status: temporary ? USER_STATUS.mustChangePassword : USER_STATUS.confirmed,
    };
    const expiry = temporary ? { temporaryPasswordExpiresAt: temporaryPasswordExpiry(this.now()).toISOString() } : {};
    try {
      await dynamoCall('PutItem', () =>
        this.doc.send(new PutCommand({ TableName: this.tableName, Item: { pk: userPk(user.username), ...user, ...expiry }, ConditionExpression: 'attribute_not_exists(pk)' })),
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
    const item = await this.item(username);
    return item ? itemToUser(item) : undefined;
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
   * The user and what their password leads to when `password` is theirs and they are enabled, else
   * undefined (the sign-in does not say which was wrong). Takes as long for an unknown username as
   * for a known one. Whether a temporary password expired is told only to whom knows it.
   */
  async authenticate(username: string, password: string): Promise<{ user: User; outcome: PasswordOutcome } | undefined> {
    const [item, hash] = await Promise.all([this.item(username), this.hashes.get(username)]);
    const matches = await verifyPassword(password, item ? hash : undefined);
    if (!matches || !item || item.enabled === false) return undefined;
    return { user: itemToUser(item), outcome: outcomeOf(item, this.now()) };
  }

  /**
   * A new temporary password for `username` (shown once): the record says so first, then the hash
   * is replaced. Why in that order: a crash between leaves the old password temporary (the user
   * must choose again), never a generated password permanent. Undefined when there is no such user.
   */
  async resetPassword(username: string): Promise<CreatedUser | undefined> {
    const password = temporaryPassword();
    const hash = await hashPassword(password);
    const user = await this.setStatus(username, { status: USER_STATUS.mustChangePassword, temporaryPasswordExpiresAt: temporaryPasswordExpiry(this.now()).toISOString() });
    if (!user) return undefined;
    await this.hashes.put(username, hash);
    return { user, temporaryPassword: password };
  }

  /**
   * Replaces a valid temporary password with `password` (already checked against the policy): the
   * hash first, then the record is confirmed (a crash between leaves the new password temporary,
   * never the generated one permanent). `same-as-temporary` when it is the temporary password;
   * undefined when the user no longer has a valid temporary password.
   */
  async completeNewPassword(username: string, password: string): Promise<User | 'same-as-temporary' | undefined> {
    const [item, hash] = await Promise.all([this.item(username), this.hashes.get(username)]);
    if (!item || item.enabled === false || outcomeOf(item, this.now()) !== 'new-password-required') return undefined;
    if (await verifyPassword(password, hash)) return 'same-as-temporary';
    await this.hashes.put(username, await hashPassword(password));
    return this.setStatus(username, { status: USER_STATUS.confirmed, temporaryPasswordExpiresAt: undefined });
  }

  private async item(username: string): Promise<Item | undefined> {
    const out = await dynamoCall('GetItem', () => this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: userPk(username) }, ConsistentRead: true })));
    return out.Item;
  }

  /** Sets the status (and the expiry, or removes it when undefined) of an existing user; undefined when there is none. */
  private async setStatus(username: string, state: { status: string; temporaryPasswordExpiresAt: string | undefined }): Promise<User | undefined> {
    const expiry = state.temporaryPasswordExpiresAt;
    try {
      const out = await dynamoCall('UpdateItem', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: { pk: userPk(username) },
            UpdateExpression: expiry === undefined ? 'SET #status = :status REMOVE temporaryPasswordExpiresAt' : 'SET #status = :status, temporaryPasswordExpiresAt = :expiry',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':status': state.status, ...(expiry !== undefined && { ':expiry': expiry }) },
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
}

/** What a right password of `item` leads to at `now`; records older than statuses are confirmed. */
function outcomeOf(item: Item, now: Date): PasswordOutcome {
  if (item.status !== USER_STATUS.mustChangePassword) return 'signed-in';
  const expiresAt = Date.parse(String(item.temporaryPasswordExpiresAt));
  // A temporary password without a readable expiry is treated as expired: closed, an admin resets it.
  return Number.isFinite(expiresAt) && expiresAt > now.getTime() ? 'new-password-required' : 'temporary-expired';
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
    status: item.status === USER_STATUS.mustChangePassword ? USER_STATUS.mustChangePassword : USER_STATUS.confirmed,
  };
}
