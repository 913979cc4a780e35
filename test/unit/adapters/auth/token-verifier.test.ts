/**
 * The token verifier over a key set the test owns: what it accepts as a caller, and how it refuses
 * each kind of bad credential (the reason the console and the CLI show).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { callerResolverFromEnv, authEnv } from '../../../../lambdas/adapters/auth/callers-env.ts';
import type { Credentials } from '../../../../lambdas/core/access/caller.ts';
import { bearer, testIssuer, TEST_ISSUER, type TestIssuer } from '../../../support/access-tokens.ts';

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await testIssuer();
});

/** The error `credentials` are refused with, as `{ name, reason }`. */
async function refusal(credentials: Credentials) {
  const err = await issuer.callers.resolve(credentials).then(
    () => undefined,
    (e: { name: string; reason?: string }) => e,
  );
  return { name: err?.name, reason: err?.reason };
}

describe('jwtCallerResolver', () => {
  it('takes a valid access token as its user, with the strongest role of its groups', async () => {
    const token = await issuer.token({ username: 'ada', groups: ['agent', 'supervisor', 'other'] });
    expect(await issuer.callers.resolve({ authorization: `bearer ${token}` })).toEqual({ id: 'ada', role: 'supervisor', kind: 'user' });
  });

  it('takes an IAM principal as an admin, whatever Authorization says (it is the SigV4 signature then)', async () => {
    const arn = 'arn:aws:iam::123456789012:role/ops';
    expect(await issuer.callers.resolve({ iamPrincipalArn: arn, authorization: 'AWS4-HMAC-SHA256 Credential=...' })).toEqual({ id: arn, role: 'admin', kind: 'iam' });
  });

  it.each([
    ['no Authorization header', async () => ({}), 'auth.token-missing'],
    ['another scheme', async () => ({ authorization: 'Basic YWRhOnB3' }), 'auth.token-invalid'],
    ['not a JWT', async () => bearer('not.a.jwt'), 'auth.token-invalid'],
    ['a forged signature', async () => bearer(await issuer.forged({ username: 'ada', groups: ['admin'] })), 'auth.token-invalid'],
    ['an expired token', async () => bearer(await issuer.token({ username: 'ada', groups: ['agent'], expiresIn: -10 })), 'auth.token-expired'],
    ['another issuer', async () => bearer(await issuer.token({ username: 'ada', groups: ['agent'], issuer: 'https://evil.test' })), 'auth.token-invalid'],
    ['another client', async () => bearer(await issuer.token({ username: 'ada', groups: ['agent'], clientId: 'other-app' })), 'auth.token-invalid'],
    ['an ID token', async () => bearer(await issuer.token({ username: 'ada', groups: ['agent'], tokenUse: 'id' })), 'auth.token-invalid'],
  ])('refuses %s with 401', async (_what, credentials, reason) => {
    expect(await refusal(await credentials())).toEqual({ name: 'UnauthenticatedError', reason });
  });

  it('refuses a valid token of a user in no role group with 403 auth.role-required', async () => {
    expect(await refusal(bearer(await issuer.token({ username: 'ada', groups: [] })))).toEqual({ name: 'ForbiddenError', reason: 'auth.role-required' });
  });

  it('refuses a token signed with the none or HS256 algorithm', async () => {
    const header = (alg: string) => Buffer.from(JSON.stringify({ alg, kid: 'k1' })).toString('base64url');
    const body = Buffer.from(JSON.stringify({ username: 'ada', 'cognito:groups': ['admin'], token_use: 'access', client_id: 'console-client', iss: TEST_ISSUER, exp: 9999999999 })).toString('base64url');
    for (const alg of ['none', 'HS256']) expect(await refusal(bearer(`${header(alg)}.${body}.c2ln`))).toEqual({ name: 'UnauthenticatedError', reason: 'auth.token-invalid' });
  });
});

describe('callerResolverFromEnv', () => {
  it('takes IAM callers only when the stack set no token issuer', async () => {
    const callers = callerResolverFromEnv({});
    expect(await callers.resolve({ iamPrincipalArn: 'arn:aws:iam::1:user/x' })).toMatchObject({ role: 'admin', kind: 'iam' });
    await expect(callers.resolve({})).rejects.toMatchObject({ reason: 'auth.token-missing' });
    await expect(callers.resolve(bearer('a.b.c'))).rejects.toMatchObject({ reason: 'auth.token-invalid' });
  });

  it('needs AUTH_ISSUER (https) and AUTH_CLIENT_ID together', () => {
    expect(authEnv({ AUTH_ISSUER: 'https://cognito-idp.eu-west-1.amazonaws.com/pool/', AUTH_CLIENT_ID: 'c1' })).toEqual({ issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/pool', clientId: 'c1' });
    expect(() => authEnv({ AUTH_ISSUER: 'https://x.test' })).toThrow(/AUTH_CLIENT_ID/);
    expect(() => authEnv({ AUTH_ISSUER: 'http://x.test', AUTH_CLIENT_ID: 'c1' })).toThrow(/https/);
  });
});
