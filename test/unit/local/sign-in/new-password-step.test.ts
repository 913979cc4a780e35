import { describe, expect, it } from 'vitest';
import { NEW_PASSWORD_LIMITS, NewPasswordSessions } from '../../../../lambdas/local/sign-in/new-password-step.ts';

describe('NewPasswordSessions', () => {
  it('finds a live session until it expires, is refused too often, or ends', () => {
    let now = 1_000_000;
    const sessions = new NewPasswordSessions<{ state: string }>(() => now);
    const first = sessions.start('anna', { state: 's1' });
    expect(first).toMatch(/^[\w-]{43}$/);
    expect(sessions.find(first)).toEqual({ username: 'anna', request: { state: 's1' } });
    now += NEW_PASSWORD_LIMITS.sessionTtlSeconds * 1000;
    expect(sessions.find(first)).toBeUndefined();

    const second = sessions.start('anna', { state: 's2' });
    for (let n = 0; n < NEW_PASSWORD_LIMITS.maxTries - 1; n++) sessions.refused(second);
    expect(sessions.find(second)).toBeDefined();
    sessions.refused(second);
    expect(sessions.find(second)).toBeUndefined();

    const third = sessions.start('bo', { state: 's3' });
    sessions.end(third);
    expect(sessions.find(third)).toBeUndefined();
    expect(sessions.find('made-up')).toBeUndefined();
  });
});
