/**
 * The people who sign in to the console (issue 12 item 1): a user has a username, a role and may be
 * disabled. Users are not agents: an agent is the ACD's record of who takes which work (its id is
 * the user's username), kept apart so an admin may be a user without being an agent. Deployed the
 * directory is the Cognito user pool; locally the runtime's own (adapters/users).
 */
import { randomInt } from 'node:crypto';
import { CONSOLE_PASSWORD_POLICY, USER_STATUS } from '../../../contract/console.ts';
import type { Role } from './caller.ts';

/** A user as the API answers it: never a password or its hash. */
export interface User {
  readonly username: string;
  readonly role: Role;
  readonly enabled: boolean;
  readonly email?: string;
  readonly createdAt?: string;
  /** The directory's account state in Cognito's words ({@link USER_STATUS}, or another of Cognito's). */
  readonly status?: string;
}

/** The account states both directories answer (contract/console.ts, where the console reads them too). */
export { USER_STATUS };

/** What `create` is given; without `password` the directory makes a temporary one. */
export interface NewUser {
  readonly username: string;
  readonly role: Role;
  readonly email?: string;
  readonly password?: string;
}

/** What `update` may change. */
export interface UserChanges {
  readonly role?: Role;
  readonly enabled?: boolean;
}

/** A created user, and the temporary password when the directory generated one (shown once, never stored in clear). */
export interface CreatedUser {
  readonly user: User;
  readonly temporaryPassword?: string;
}

/** The user directory port; adapters throw core's errors (ConflictError for a taken name). */
export interface UserDirectory {
  /** @throws ConflictError (`user.name-taken`) when the username exists */
  create(user: NewUser): Promise<CreatedUser>;
  /** All users, sorted by username. */
  list(): Promise<readonly User[]>;
  get(username: string): Promise<User | undefined>;
  /** The updated user; undefined when there is no such user. */
  update(username: string, changes: UserChanges): Promise<User | undefined>;
  /** `false` when there was no such user. */
  remove(username: string): Promise<boolean>;
  /**
   * Gives the user a new generated temporary password (status {@link USER_STATUS}.mustChangePassword),
   * answered once; undefined when there is no such user.
   */
  resetPassword(username: string): Promise<CreatedUser | undefined>;
}

/** Usernames are agent ids (an agent's id is its user's username): the same syntax. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Password bounds, checked by the API and the directories. */
export const PASSWORD_LIMITS = {
  /** The shortest password that withstands online guessing under the sign-in rate limit: the pool policy's. */
  minChars: CONSOLE_PASSWORD_POLICY.minLength,
  /** scrypt hashes any length, but a megabyte "password" burns CPU instead of proving anything. */
  maxChars: 256,
  /** Generated temporary passwords: about 118 bits from 60 symbols, still typeable off a terminal. */
  temporaryChars: 20,
} as const;

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '-_.!+=';

/**
 * A random temporary password of PASSWORD_LIMITS.temporaryChars characters with at least one lower-
 * case letter, upper-case letter, digit and symbol (Cognito's default password policy), without
 * look-alike characters (l, I, O, 0, 1) since it is read off a terminal.
 */
export function temporaryPassword(length: number = PASSWORD_LIMITS.temporaryChars): string {
  const all = LOWER + UPPER + DIGITS + SYMBOLS;
  const pick = (set: string) => set[randomInt(set.length)]!;
  const chars = [pick(LOWER), pick(UPPER), pick(DIGITS), pick(SYMBOLS)];
  while (chars.length < length) chars.push(pick(all));
  // Fisher-Yates, so the required classes are not always at the front.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
