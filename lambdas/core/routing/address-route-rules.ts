/**
 * E-mail address routes (ADR-1..3): the rules an address's configuration must keep, as pure
 * functions that return one message per field. The API loads what the rules refer to (domains,
 * the other addresses, queues, flows) and passes it in; nothing here reads storage.
 */
import { ERROR_REASONS as R } from '../error-reasons.ts';
import { assertNoProblems, fieldMessages, problem, type FieldProblems } from '../field-problems.ts';
import { isServedAddress } from '../deployment-settings.ts';
import { displayNameProblem } from '../outbound/header-text.ts';
import { ATTRIBUTE_MESSAGES, isLanguage, isPriority, skillsError } from './attributes.ts';
import { MAX_ADDRESS_BCC, type EmailAddressRoute } from './model.ts';

/** An address route as an admin writes it; the store adds the timestamps. */
export type AddressRouteInput = Omit<EmailAddressRoute, 'createdAt' | 'updatedAt'>;

/** Limits of an address route's free text. */
export const ADDRESS_LIMITS = {
  /** RFC 5321 caps a forward path at 256 octets, so an address at 254 characters. */
  maxAddressChars: 254,
  /** A display name longer than this is cut by mail clients anyway. */
  maxFromNameChars: 200,
} as const;

/** What the rules need to know about the rest of the configuration. */
export interface AddressRouteContext {
  /** The organisation's served mail domains, lower-case (ServedDomains, read by the API). */
  readonly domains: readonly string[];
  /** Addresses that have a route already (a from address must be one of them or the address itself). */
  readonly configuredAddresses: ReadonlySet<string>;
  readonly queues: ReadonlySet<string>;
  readonly flows: ReadonlySet<string>;
}

/** Addresses are compared and stored lower-case, as envelope recipients are. */
const ADDRESS_PATTERN = /^[^\s@<>(),;:"[\]\\]+@[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?\.[a-z]{2,63}$/;
/** Controls the pattern's `[^\s...]` lets through (NUL, NEL, other C0/C1, DEL): never in an address (issue 11 item 6). */
// eslint-disable-next-line no-control-regex
const ADDRESS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** True for a bare, lower-case mailbox address (`help@support.example.com`). */
export function isMailAddress(value: string): boolean {
  return value.length <= ADDRESS_LIMITS.maxAddressChars && ADDRESS_PATTERN.test(value) && !ADDRESS_CONTROL.test(value);
}

/**
 * The route as it is stored: addresses lower-cased and trimmed, BCC de-duplicated in order, the
 * skills of a queue target de-duplicated. Why normalize before validating: "Help@X" and "help@x"
 * are one mailbox, and the BCC limit counts distinct recipients.
 */
export function normalizeAddressRoute(input: AddressRouteInput): AddressRouteInput {
  const lower = (s: string) => s.trim().toLowerCase();
  const routing = input.routing.kind === 'queue' ? { ...input.routing, skills: [...new Set(input.routing.skills)] } : input.routing;
  return {
    ...input,
    address: lower(input.address),
    fromName: input.fromName.trim(),
    fromAddress: lower(input.fromAddress),
    ...(input.replyTo !== undefined && { replyTo: lower(input.replyTo) }),
    bcc: [...new Set(input.bcc.map(lower))],
    routing,
  };
}

/**
 * Checks a normalized route against ADR-1..3 and returns one message per invalid field (empty
 * when valid). Field names are the JSON paths of the API body (`routing.queueId`).
 */
export function addressRouteErrors(route: AddressRouteInput, ctx: AddressRouteContext): Record<string, string> {
  return fieldMessages(addressRouteProblems(route, ctx));
}

/** {@link addressRouteErrors} with each field's reason (core/error-reasons.ts) beside its message. */
export function addressRouteProblems(route: AddressRouteInput, ctx: AddressRouteContext): FieldProblems {
  const fields: FieldProblems = {};
  if (!isMailAddress(route.address)) fields.address = problem(R.addressMalformed, 'must be an e-mail address');
  else if (!isServedAddress(route.address, ctx.domains)) {
    fields.address = problem(R.addressDomainNotServed, `must be on one of the organisation's domains (${ctx.domains.join(', ') || 'none is served yet'})`);
  }
  // The from name becomes the From header's display name: one rule for it (core/outbound/header-text.ts).
  const fromNameProblem = displayNameProblem(route.fromName);
  if (route.fromName === '' || route.fromName.length > ADDRESS_LIMITS.maxFromNameChars) {
    fields.fromName = problem(R.addressFromNameInvalid, `must be 1-${ADDRESS_LIMITS.maxFromNameChars} characters on one line`);
  } else if (fromNameProblem) fields.fromName = problem(R.addressFromNameInvalid, fromNameProblem);
  if (route.fromAddress !== route.address && !ctx.configuredAddresses.has(route.fromAddress)) {
    fields.fromAddress = problem(R.addressFromNotConfigured, 'must be a configured address of the organisation (this address or another address route)');
  }
  if (route.replyTo !== undefined && !isMailAddress(route.replyTo)) fields.replyTo = problem(R.addressMalformed, 'must be an e-mail address');
  if (route.bcc.some((a) => !isMailAddress(a))) fields.bcc = problem(R.addressMalformed, 'must list e-mail addresses');
  else if (route.bcc.length > MAX_ADDRESS_BCC) fields.bcc = problem(R.addressTooManyBcc, `at most ${MAX_ADDRESS_BCC} distinct BCC recipients`);
  Object.assign(fields, routingProblems(route, ctx));
  return fields;
}

/**
 * {@link addressRouteErrors} as a guard.
 * @throws ValidationError with every field message and reason when the route breaks a rule
 */
export function assertValidAddressRoute(route: AddressRouteInput, ctx: AddressRouteContext): void {
  assertNoProblems(addressRouteProblems(route, ctx));
}

/** The flows an address route refers to; a flow in use must not disappear under it. */
export function referencedFlows(route: Pick<EmailAddressRoute, 'routing' | 'spamRouting'>): string[] {
  const ids: string[] = [];
  if (route.routing.kind === 'flow') ids.push(route.routing.flowId);
  if (route.spamRouting?.kind === 'flow') ids.push(route.spamRouting.flowId);
  return ids;
}

function routingProblems(route: AddressRouteInput, ctx: AddressRouteContext): FieldProblems {
  const fields: FieldProblems = {};
  const r = route.routing;
  if (r.kind === 'queue') {
    if (!ctx.queues.has(r.queueId)) fields['routing.queueId'] = problem(R.queueNotFound, `queue ${r.queueId} does not exist`);
    const skills = skillsError(r.skills);
    if (skills) fields['routing.skills'] = problem(R.skillsInvalid, skills);
    if (r.language !== undefined && !isLanguage(r.language)) fields['routing.language'] = problem(R.languageUnknown, ATTRIBUTE_MESSAGES.language);
    if (!isPriority(r.priority)) fields['routing.priority'] = problem(R.priorityOutOfRange, ATTRIBUTE_MESSAGES.priority);
  }
  if (r.kind === 'flow' && !ctx.flows.has(r.flowId)) fields['routing.flowId'] = problem(R.flowNotFound, `flow ${r.flowId} does not exist`);
  const spam = route.spamRouting;
  if (spam?.kind === 'flow' && !ctx.flows.has(spam.flowId)) fields['spamRouting.flowId'] = problem(R.flowNotFound, `flow ${spam.flowId} does not exist`);
  return fields;
}
