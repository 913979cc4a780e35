/**
 * The edge of issue 11 item 6 for request bodies: the fields that become headers of an outgoing
 * message (recipients, from and reply-to, names, subject), as zod/mini schemas that refuse with
 * core's field-level messages (core/outbound/address.ts, header-text.ts) and hand the route
 * normalized addresses (domain lower-case, IDN as punycode). One rule, so an agent's reply, a new
 * e-mail and a notification refuse the same values with the same words.
 */
import * as z from 'zod/mini';
import { parseMailAddress } from '../../../core/outbound/address.ts';
import { displayNameProblem, headerTextProblem } from '../../../core/outbound/header-text.ts';

/** Lengths of the header fields of a send request. */
export const OUTBOUND_FIELD_LIMITS = {
  /** Display names longer than this are cut by mail clients anyway (as ADDRESS_LIMITS.maxFromNameChars). */
  maxNameChars: 200,
  /** A subject stays within one 998-octet line when encoded words are not needed. */
  maxSubjectChars: 998,
  /** RFC 5321: an address fits a 256-octet path (the parser counts again after IDN conversion). */
  maxAddressChars: 254,
} as const;

/** A string refused with `problem`'s message when it returns one. */
const checked = (max: number, problem: (value: string) => string | undefined) =>
  z.string().check(
    z.maxLength(max, `at most ${max} characters`),
    z.superRefine((value, ctx) => {
      const message = problem(value);
      if (message) ctx.addIssue({ code: 'custom', message, input: value });
    }),
  );

/**
 * One bare address, answered normalized (`Kunde@Bücher.Example` -> `Kunde@xn--bcher-kva.example`).
 * Refuses controls, line breaks, a second address and display names with address.ts's message.
 */
export const mailAddressField = z.pipe(
  checked(OUTBOUND_FIELD_LIMITS.maxAddressChars, (v) => {
    const parsed = parseMailAddress(v);
    return parsed.ok ? undefined : parsed.problem;
  }),
  z.transform((v) => parsed(v) ?? v),
);

/** A display name: one line, no control character, and nothing that reads as an address (`"Bank" <ceo@bank.example>, Evil`). */
export const displayNameField = checked(OUTBOUND_FIELD_LIMITS.maxNameChars, displayNameProblem);

/** Free header text (a subject): one line without control characters. @param max @default OUTBOUND_FIELD_LIMITS.maxSubjectChars */
export const headerTextField = (max: number = OUTBOUND_FIELD_LIMITS.maxSubjectChars) => checked(max, headerTextProblem);

/** `{ address, name? }` with both checked; the address answered normalized. */
export const namedAddressField = z.strictObject({ address: mailAddressField, name: z.optional(displayNameField) });

function parsed(value: string): string | undefined {
  const result = parseMailAddress(value);
  return result.ok ? result.address : undefined;
}
