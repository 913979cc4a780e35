/**
 * The Cognito user directory against a mocked Cognito client (no local Cognito exists): what it
 * asks Cognito for each operation, and how Cognito's answers and errors come back as users and as
 * core's errors. A generated password is temporary and answered once; a given one is set permanent.
 */
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminDeleteUserCommand,
  AdminDisableUserCommand,
  AdminGetUserCommand,
  AdminListGroupsForUserCommand,
  AdminRemoveUserFromGroupCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
  UserNotFoundException,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { CognitoUserDirectory } from '../../../../lambdas/adapters/users/cognito-user-directory.ts';
import { ConflictError } from '../../../../lambdas/core/errors.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
const POOL = 'eu-west-1_pool';
const directory = new CognitoUserDirectory(new CognitoIdentityProviderClient({ region: 'eu-west-1' }), POOL);
const created = new Date('2026-11-27T08:00:00Z');
const notFound = () => new UserNotFoundException({ message: 'User does not exist.', $metadata: {} });

beforeEach(() => cognito.reset());

describe('CognitoUserDirectory', () => {
  it('creates a user with a generated temporary password in its role group, no invitation sent', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'anna', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD', UserCreateDate: created, Attributes: [{ Name: 'email', Value: 'anna@example.test' }] } });
    const out = await directory.create({ username: 'anna', role: 'agent', email: 'anna@example.test' });
    expect(out).toEqual({
      user: { username: 'anna', role: 'agent', enabled: true, email: 'anna@example.test', createdAt: created.toISOString(), status: 'FORCE_CHANGE_PASSWORD' },
      temporaryPassword: expect.stringMatching(/^.{20}$/),
    });
    const input = cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input;
    expect(input).toEqual({ UserPoolId: POOL, Username: 'anna', TemporaryPassword: out.temporaryPassword, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: 'anna@example.test' }, { Name: 'email_verified', Value: 'true' }] });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand).map((c) => c.args[0].input)).toEqual([{ UserPoolId: POOL, Username: 'anna', GroupName: 'agent' }]);
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)).toHaveLength(0);
  });

  it('sets a given password permanent and does not answer it', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'sam', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' } });
    const out = await directory.create({ username: 'sam', role: 'admin', password: 'a-given-password' });
    expect(out).toEqual({ user: { username: 'sam', role: 'admin', enabled: true, status: 'CONFIRMED' } });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: 'sam', Password: 'a-given-password', Permanent: true });
  });

  it('answers a taken username as a conflict', async () => {
    cognito.on(AdminCreateUserCommand).rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    const err = await directory.create({ username: 'anna', role: 'agent' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as ConflictError).reason).toBe('user.name-taken');
  });

  it('lists users page by page with the strongest role of their groups, leaving out users in no role group', async () => {
    cognito
      .on(ListUsersCommand, { UserPoolId: POOL })
      .resolves({ Users: [{ Username: 'zoe', Enabled: false }, { Username: 'anna', Enabled: true }], PaginationToken: 'p2' })
      .on(ListUsersCommand, { UserPoolId: POOL, PaginationToken: 'p2' })
      .resolves({ Users: [{ Username: 'guest', Enabled: true }] });
    cognito
      .on(AdminListGroupsForUserCommand, { Username: 'zoe' })
      .resolves({ Groups: [{ GroupName: 'agent' }, { GroupName: 'supervisor' }] })
      .on(AdminListGroupsForUserCommand, { Username: 'anna' })
      .resolves({ Groups: [{ GroupName: 'agent' }] })
      .on(AdminListGroupsForUserCommand, { Username: 'guest' })
      .resolves({ Groups: [{ GroupName: 'beta-testers' }] });
    expect(await directory.list()).toEqual([
      { username: 'anna', role: 'agent', enabled: true },
      { username: 'zoe', role: 'supervisor', enabled: false },
    ]);
  });

  it('changes the role group (adding before removing) and disables', async () => {
    cognito.on(AdminListGroupsForUserCommand).resolvesOnce({ Groups: [{ GroupName: 'agent' }, { GroupName: 'beta-testers' }] }).resolves({ Groups: [{ GroupName: 'supervisor' }] });
    cognito.on(AdminGetUserCommand).resolves({ Username: 'anna', Enabled: false, UserStatus: 'CONFIRMED' });
    const user = await directory.update('anna', { role: 'supervisor', enabled: false });
    expect(user).toEqual({ username: 'anna', role: 'supervisor', enabled: false, status: 'CONFIRMED' });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input.GroupName).toBe('supervisor');
    expect(cognito.commandCalls(AdminRemoveUserFromGroupCommand).map((c) => c.args[0].input.GroupName)).toEqual(['agent']);
    expect(cognito.commandCalls(AdminDisableUserCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: 'anna' });
  });

  it('answers unknown users as undefined and false', async () => {
    cognito.on(AdminGetUserCommand).rejects(notFound());
    cognito.on(AdminListGroupsForUserCommand).rejects(notFound());
    cognito.on(AdminDeleteUserCommand).rejects(notFound());
    expect(await directory.get('ghost')).toBeUndefined();
    expect(await directory.update('ghost', { role: 'admin' })).toBeUndefined();
    expect(await directory.remove('ghost')).toBe(false);
    cognito.on(AdminDeleteUserCommand).resolves({});
    expect(await directory.remove('anna')).toBe(true);
  });

  it('resets a password to a generated temporary one (not permanent) and answers it once with the status', async () => {
    cognito.on(AdminSetUserPasswordCommand).resolves({});
    cognito.on(AdminListGroupsForUserCommand).resolves({ Groups: [{ GroupName: 'agent' }] });
    cognito.on(AdminGetUserCommand).resolves({ Username: 'anna', Enabled: true, UserStatus: 'FORCE_CHANGE_PASSWORD' });
    const reset = await directory.resetPassword('anna');
    expect(reset).toEqual({ user: { username: 'anna', role: 'agent', enabled: true, status: 'FORCE_CHANGE_PASSWORD' }, temporaryPassword: expect.stringMatching(/^.{20}$/) });
    expect(cognito.commandCalls(AdminSetUserPasswordCommand)[0]!.args[0].input).toEqual({ UserPoolId: POOL, Username: 'anna', Password: reset!.temporaryPassword, Permanent: false });
    cognito.on(AdminSetUserPasswordCommand).rejects(notFound());
    expect(await directory.resetPassword('ghost')).toBeUndefined();
  });
});
