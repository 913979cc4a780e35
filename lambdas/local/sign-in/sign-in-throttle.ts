/**
 * Failed sign-ins are limited per username, so a password cannot be guessed online: after
 * SIGN_IN_THROTTLE.maxFailures failures within the window the username is refused, without its
 * password being checked, until the window of the first failure ends. Kept in memory: a restart
 * clears it, which the local runtime (one user's machine) can afford.
 */

/** The throttle's bounds. */
export const SIGN_IN_THROTTLE = {
  /** Five tries cover typos; guessing a 12+ character password at 5 per 15 min is hopeless. */
  maxFailures: 5,
  windowMs: 15 * 60 * 1000,
  /** Usernames tracked at once; past this the oldest entry is dropped (a flood of names costs no memory growth). */
  maxTracked: 10_000,
} as const;

interface Failures {
  count: number;
  readonly since: number;
}

/** Counts failed sign-ins per username (case-insensitive). */
export class SignInThrottle {
  private readonly failures = new Map<string, Failures>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds until `username` may try again; 0 when it may try now. */
  retryAfterMs(username: string): number {
    const entry = this.current(username);
    if (!entry || entry.count < SIGN_IN_THROTTLE.maxFailures) return 0;
    return entry.since + SIGN_IN_THROTTLE.windowMs - this.now();
  }

  /** Records one failed sign-in of `username`. */
  fail(username: string): void {
    const key = username.toLowerCase();
    const entry = this.current(username);
    if (entry) entry.count++;
    else {
      if (this.failures.size >= SIGN_IN_THROTTLE.maxTracked) this.failures.delete(this.failures.keys().next().value!);
      this.failures.set(key, { count: 1, since: this.now() });
    }
  }

  /** Forgets the failures of `username` after a successful sign-in. */
  succeed(username: string): void {
    this.failures.delete(username.toLowerCase());
  }

  private current(username: string): Failures | undefined {
    const key = username.toLowerCase();
    const entry = this.failures.get(key);
    if (entry && entry.since + SIGN_IN_THROTTLE.windowMs <= this.now()) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
