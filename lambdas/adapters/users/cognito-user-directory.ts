/**
 * The deployed user directory: the stack's Cognito user pool, roles as its groups admin, supervisor
 * and agent (a user in several has the strongest, core/access/caller.ts). A generated password is
 * temporary (the hosted sign-in makes the user choose their own); a password the admin gives is set
 * permanent; a reset sets a new generated one temporary (FORCE_CHANGE_PASSWORD, as the local
 * directory's). Cognito's UserStatus is the user's `status` as is (core USER_STATUS names the two
 * both directories answer). Cognito sends no invitation (MessageAction SUPPRESS): the admin hands the password over,
 * as the CLI prints it once. IAM actions used: AdminCreateUser, AdminSetUserPassword,
 * AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser, AdminGetUser, ListUsers,
 * AdminEnableUser, AdminDisableUser, AdminDeleteUser.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminEnableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  ListUsersCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ROLES } from '../../../contract/console.ts';
import { roleFromGroups, type Role } from '../../core/access/caller.ts';
import { temporaryPassword, USER_STATUS, type CreatedUser, type NewUser, type User, type UserChanges, type UserDirectory } from '../../core/access/user-directory.ts';
import { ConflictError, ValidationError } from '../../core/errors.ts';
import { ERROR_REASONS } from '../../core/error-reasons.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** What one user of a listing or a get carries. */
interface CognitoUser {
  readonly Username?: string;
  readonly Enabled?: boolean;
  readonly UserStatus?: string;
  readonly UserCreateDate?: Date;
  readonly Attributes?: readonly AttributeType[];
  readonly UserAttributes?: readonly AttributeType[];
}

/** {@link UserDirectory} over a Cognito user pool; see the module comment. */
export class CognitoUserDirectory implements UserDirectory {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  async create(input: NewUser): Promise<CreatedUser> {
    const password = input.password ?? temporaryPassword();
    const UserPoolId = this.userPoolId;
    const attributes = input.email === undefined ? [] : [{ Name: 'email', Value: input.email }, { Name: 'email_verified', Value: 'true' }];
    const created = await this.call('AdminCreateUser', () =>
      this.client.send(new AdminCreateUserCommand({ UserPoolId, Username: input.username, TemporaryPassword: password, MessageAction: 'SUPPRESS', UserAttributes: attributes })),
    );
    if (input.password !== undefined) {
      await this.call('AdminSetUserPassword', () => this.client.send(new AdminSetUserPasswordCommand({ UserPoolId, Username: input.username, Password: password, Permanent: true })));
    }
    await this.call('AdminAddUserToGroup', () => this.client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: input.username, GroupName: input.role })));
    const user = toUser(created.User ?? { Username: input.username, Enabled: true }, input.role);
    return { user: input.password !== undefined ? { ...user, status: USER_STATUS.confirmed } : user, ...(input.password === undefined && { temporaryPassword: password }) };
  }

  /** Every user in a role group, sorted by username (users in no role group cannot sign in to the console and are left out). */
  async list(): Promise<readonly User[]> {
    const users: User[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('ListUsers', () => this.client.send(new ListUsersCommand({ UserPoolId: this.userPoolId, ...(token && { PaginationToken: token }) })));
      for (const entry of page.Users ?? []) {
        const role = await this.roleOf(entry.Username!);
        if (role) users.push(toUser(entry, role));
      }
      token = page.PaginationToken;
    } while (token);
    return users.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  }

  async get(username: string): Promise<User | undefined> {
    const found = await this.orUndefined(() => this.call('AdminGetUser', () => this.client.send(new AdminGetUserCommand({ UserPoolId: this.userPoolId, Username: username }))));
    if (!found) return undefined;
    const role = await this.roleOf(username);
    return role ? toUser(found, role) : undefined;
  }

  async update(username: string, changes: UserChanges): Promise<User | undefined> {
    const UserPoolId = this.userPoolId;
    const done = await this.orUndefined(async () => {
      if (changes.role !== undefined) {
        const current = await this.groupsOf(username);
        // Added before the others are removed, so the user never holds no role in between.
        await this.call('AdminAddUserToGroup', () => this.client.send(new AdminAddUserToGroupCommand({ UserPoolId, Username: username, GroupName: changes.role })));
        for (const group of current.filter((g) => g !== changes.role && ROLES.includes(g as Role))) {
          await this.call('AdminRemoveUserFromGroup', () => this.client.send(new AdminRemoveUserFromGroupCommand({ UserPoolId, Username: username, GroupName: group })));
        }
      }
      if (changes.enabled === true) await this.call('AdminEnableUser', () => this.client.send(new AdminEnableUserCommand({ UserPoolId, Username: username })));
      if (changes.enabled === false) await this.call('AdminDisableUser', () => this.client.send(new AdminDisableUserCommand({ UserPoolId, Username: username })));
      return true;
    });
    return done ? this.get(username) : undefined;
  }

  async remove(username: string): Promise<boolean> {
    const done = await this.orUndefined(async () => {
      await this.call('AdminDeleteUser', () => this.client.send(new AdminDeleteUserCommand({ UserPoolId: this.userPoolId, Username: username })));
      return true;
    });
    return done ?? false;
  }

  /** AdminSetUserPassword with a generated password, not permanent: the hosted sign-in makes the user choose one. */
  async resetPassword(username: string): Promise<CreatedUser | undefined> {
    const password = temporaryPassword();
    const done = await this.orUndefined(async () => {
      await this.call('AdminSetUserPassword', () => this.client.send(new AdminSetUserPasswordCommand({ UserPoolId: this.userPoolId, Username: username, Password: password, Permanent: false })));
      return true;
    });
    const user = done && (await this.get(username));
    return user ? { user, temporaryPassword: password } : undefined;
  }

  private async groupsOf(username: string): Promise<string[]> {
    const groups: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('AdminListGroupsForUser', () =>
        this.client.send(new AdminListGroupsForUserCommand({ UserPoolId: this.userPoolId, Username: username, ...(token && { NextToken: token }) })),
      );
      groups.push(...(page.Groups ?? []).map((g) => g.GroupName!).filter(Boolean));
      token = page.NextToken;
    } while (token);
    return groups;
  }

  private async roleOf(username: string): Promise<Role | undefined> {
    return roleFromGroups(await this.groupsOf(username));
  }

  /** `call`'s result, or undefined when Cognito says the user does not exist. */
  private async orUndefined<T>(call: () => Promise<T>): Promise<T | undefined> {
    try {
      return await call();
    } catch (err) {
      if ((err as { cause?: { name?: string } }).cause?.name === 'UserNotFoundException') return undefined;
      throw err;
    }
  }

  /** One Cognito call; its failure in Postroom's hierarchy (a taken name 409, a refused password 400). */
  private async call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (err) {
      const name = (err as { name?: string }).name;
      if (name === 'UsernameExistsException') throw new ConflictError(ERROR_REASONS.userNameTaken, 'a user with this username exists already', { username: 'is taken by another user' });
      if (name === 'InvalidPasswordException') throw new ValidationError({ password: 'does not meet the user pool\'s password policy' });
      if (name === 'UserNotFoundException') throw Object.assign(new Error(`Cognito ${operation}: no such user`), { cause: err });
      throw sdkError(err, 'identity', `Cognito ${operation}`);
    }
  }
}

function toUser(entry: CognitoUser, role: Role): User {
  const email = (entry.Attributes ?? entry.UserAttributes)?.find((a) => a.Name === 'email')?.Value;
  return {
    username: entry.Username!,
    role,
    enabled: entry.Enabled !== false,
    ...(email !== undefined && { email }),
    ...(entry.UserCreateDate && { createdAt: entry.UserCreateDate.toISOString() }),
    ...(entry.UserStatus && { status: entry.UserStatus }),
  };
}
