/**
 * The console users' password policy (contract/console.ts CONSOLE_PASSWORD_POLICY) as the local
 * sign-in checks a new password: the rules Cognito's user pool applies deployed, with Cognito's own
 * character classes, so a password one issuer takes the other takes too.
 */
import { CONSOLE_PASSWORD_POLICY } from '../../../contract/console.ts';
import { PASSWORD_LIMITS } from './user-directory.ts';

/** A rule a new password breaks; the sign-in page says each in the user's language. */
export type PasswordProblem = 'too-short' | 'too-long' | 'no-lowercase' | 'no-uppercase' | 'no-digit' | 'no-symbol';

/**
 * Cognito's special characters (its password policy documentation): `^ $ * . [ ] { } ( ) ? - " ! @ #
 * % & / \ , > < ' : ; | _ ~ \` + =` and a space that is neither first nor last.
 */
const SYMBOL = /[\^$*.[\]{}()?\-"!@#%&/\\,><':;|_~`+=]|(?<=.) (?=.)/u;

/**
 * The rules `password` breaks, in the policy's order; empty when it is acceptable. Length counts
 * code points (what a user typed), not UTF-16 units.
 */
export function passwordPolicyProblems(password: string): PasswordProblem[] {
  const problems: PasswordProblem[] = [];
  const length = [...password].length;
  if (length < CONSOLE_PASSWORD_POLICY.minLength) problems.push('too-short');
  if (length > PASSWORD_LIMITS.maxChars) problems.push('too-long');
  if (CONSOLE_PASSWORD_POLICY.requireLowercase && !/[a-z]/.test(password)) problems.push('no-lowercase');
  if (CONSOLE_PASSWORD_POLICY.requireUppercase && !/[A-Z]/.test(password)) problems.push('no-uppercase');
  if (CONSOLE_PASSWORD_POLICY.requireDigits && !/[0-9]/.test(password)) problems.push('no-digit');
  if (CONSOLE_PASSWORD_POLICY.requireSymbols && !SYMBOL.test(password)) problems.push('no-symbol');
  return problems;
}

/** When a temporary password set at `setAt` stops being accepted (TemporaryPasswordValidityDays later). */
export function temporaryPasswordExpiry(setAt: Date): Date {
  return new Date(setAt.getTime() + CONSOLE_PASSWORD_POLICY.temporaryPasswordValidityDays * 24 * 60 * 60 * 1000);
}
