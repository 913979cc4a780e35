/**
 * Who is calling the API, as the verified identity says (architecture decision 13): never from a
 * request body. A signed-in console user carries a role from its token's groups; a cloud engineer
 * calling through IAM (SigV4, the `postroom` CLI against a deployed stack) or the local CLI (a token
 * minted from the local issuer's key file) is an admin.
 */
import { ROLES, type Role } from '../../../contract/console.ts';

export type { Role } from '../../../contract/console.ts';

/** How the caller proved who it is. */
export type CallerKind = 'user' | 'iam';

/** The verified caller of one request. */
export interface Caller {
  /** The user's name (an agent's id is its username); for IAM the caller's ARN. */
  readonly id: string;
  readonly role: Role;
  readonly kind: CallerKind;
}

/** The strongest role among `groups` (a user may be in several groups); undefined when none is a role. */
export function roleFromGroups(groups: readonly string[] | undefined): Role | undefined {
  let best = -1;
  for (const group of groups ?? []) best = Math.max(best, ROLES.indexOf(group as Role));
  return best < 0 ? undefined : ROLES[best];
}

/** Whether `caller` has `role` or a stronger one (admin ⊇ supervisor ⊇ agent). */
export function hasRole(caller: Caller, role: Role): boolean {
  return ROLES.indexOf(caller.role) >= ROLES.indexOf(role);
}

/** What a request offers as proof of identity, taken from the transport by the API's edge. */
export interface Credentials {
  /** The `Authorization` header, verbatim (`Bearer <JWT>`). */
  readonly authorization?: string;
  /**
   * The IAM principal API Gateway verified the SigV4 signature of (`requestContext.authorizer.iam`
   * of the Lambda event); never read from a header, so no client can claim it.
   */
  readonly iamPrincipalArn?: string;
}

/**
 * Turns credentials into the verified caller (adapters/auth: JWT verification against the issuer's
 * keys, the same code for Cognito and the local issuer).
 * @throws UnauthenticatedError (401) when there is no credential or it does not verify
 */
export interface CallerResolver {
  resolve(credentials: Credentials): Promise<Caller>;
}
