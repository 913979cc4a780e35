/**
 * `postroom user add|list|update|remove`: the people who sign in to the console (issue 12 item 1).
 * A generated temporary password (at `add` without --password, or `update --reset-password`) is printed once and never again: the API keeps only its hash
 * (locally) or Cognito keeps it (deployed).
 */
import { Command, Option } from 'commander';
import { ROLES } from '../../../contract/console.ts';
import { USER_STATUS, type CreatedUser, type User } from '../../core/access/user-directory.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { formatTable, printable } from '../format.ts';

/** Registers the `user` command and its subcommands. */
export function registerUser(program: Command, ctx: CliContext): void {
  const user = program.command('user').description('manage who signs in to the console, and their roles');
  const roleOption = () => new Option('--role <role>', 'what the user may do').choices(ROLES);
  user
    .command('add')
    .description('create a user; without --password a temporary password is generated and printed once')
    .argument('<username>', 'the username (an agent signs in with its agent id)')
    .addOption(roleOption().makeOptionMandatory())
    .option('--email <address>', 'the user\'s e-mail address')
    .option('--password <password>', 'the initial password (at least 12 characters); beware, shells keep a history')
    .option('--json', 'print the API JSON')
    .action(async (username: string, o: { role: string; email?: string; password?: string; json?: boolean }, command: Command) => {
      const api = await ctx.api(command);
      const body = (await api.write<CreatedUser>('POST', 'users', { username, role: o.role, ...(o.email !== undefined && { email: o.email }), ...(o.password !== undefined && { password: o.password }) }))!;
      if (o.json) return ctx.io.out(`${JSON.stringify(body, null, 2)}\n`);
      const lines = [`Created user ${printable(body.user.username)} (${body.user.role}).`];
      if (body.temporaryPassword !== undefined) lines.push(`Temporary password (shown once): ${body.temporaryPassword}`);
      if (body.user.role === 'agent') lines.push(`To let it take work: postroom agent add ${printable(body.user.username)} --name ... --language ... --queue ...`);
      ctx.io.out(`${lines.join('\n')}\n`);
    });
  user
    .command('list')
    .description('list users with their role and state')
    .option('--json', 'print the API JSON')
    .action(async (o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).get<{ users: User[] }>('users');
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `${body.users.length ? formatUsers(body.users) : 'No users.'}\n`);
    });
  user
    .command('update')
    .description('change a user\'s role, disable or enable it, or give it a new temporary password')
    .argument('<username>', 'the username')
    .addOption(roleOption())
    .addOption(new Option('--enable', 'let the user sign in again').conflicts('disable'))
    .addOption(new Option('--disable', 'refuse the user\'s sign-ins and token refreshes').conflicts('enable'))
    .option('--reset-password', 'set a new generated temporary password, printed once; the user must choose their own at the next sign-in')
    .option('--json', 'print the API JSON')
    .action(async (username: string, o: { role?: string; enable?: boolean; disable?: boolean; resetPassword?: boolean; json?: boolean }, command: Command) => {
      if (o.role === undefined && !o.enable && !o.disable && !o.resetPassword) throw new CliError('say what to change: --role, --enable, --disable or --reset-password');
      const api = await ctx.api(command);
      const path = `users/${encodeURIComponent(username)}`;
      const changes = { ...(o.role !== undefined && { role: o.role }), ...(o.enable && { enabled: true }), ...(o.disable && { enabled: false }) };
      const patched = Object.keys(changes).length ? await api.write<{ user: User }>('PATCH', path, changes) : undefined;
      // The reset comes last, so its answer (with the password) shows the user as it now is.
      const reset = o.resetPassword ? await api.write<CreatedUser>('POST', `${path}/reset-password`) : undefined;
      const body: CreatedUser = (reset ?? patched)!;
      if (o.json) return ctx.io.out(`${JSON.stringify(body, null, 2)}\n`);
      const lines = [`Updated user ${printable(username)}.`, formatUsers([body.user])];
      if (body.temporaryPassword !== undefined) lines.push(`Temporary password (shown once): ${body.temporaryPassword}`);
      ctx.io.out(`${lines.join('\n')}\n`);
    });
  user
    .command('remove')
    .description('remove a user (its agent record, if any, stays: postroom agent remove)')
    .argument('<username>', 'the username')
    .option('--json', 'print the API JSON')
    .action(async (username: string, o: { json?: boolean }, command: Command) => {
      const body = await (await ctx.api(command)).write<{ username: string }>('DELETE', `users/${encodeURIComponent(username)}`);
      ctx.io.out(o.json ? `${JSON.stringify(body, null, 2)}\n` : `Removed user ${printable(username)}.\n`);
    });
}

/** The users as a table: username, role, enabled, status, e-mail, created. */
export function formatUsers(users: readonly User[]): string {
  return formatTable(
    ['username', 'role', 'enabled', 'status', 'email', 'created'],
    users.map((u) => [printable(u.username), u.role, u.enabled ? 'yes' : 'no', userStatusText(u.status), printable(u.email ?? '-'), u.createdAt ?? '-']),
  );
}

/**
 * A user's status in words: Cognito's FORCE_CHANGE_PASSWORD (either directory) is "must change
 * password", CONFIRMED "active"; any other of Cognito's states as it is, lower case.
 * @default '-' when the directory gave none
 */
export function userStatusText(status: string | undefined): string {
  if (status === undefined) return '-';
  if (status === USER_STATUS.mustChangePassword) return 'must change password';
  if (status === USER_STATUS.confirmed) return 'active';
  return printable(status.toLowerCase().replaceAll('_', ' '));
}
