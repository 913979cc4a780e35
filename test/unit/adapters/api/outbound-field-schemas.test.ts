/**
 * The edge of issue 11 item 6 in request bodies: header fields refused with core's field-level
 * messages, addresses answered normalized.
 */
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { namedAddressField, headerTextField } from '../../../../lambdas/adapters/api/routes/outbound-field-schemas.ts';
import { parseBody } from '../../../../lambdas/adapters/api/validation.ts';
import { ValidationError } from '../../../../lambdas/core/errors.ts';

const body = z.strictObject({ to: z.array(namedAddressField), subject: headerTextField() });

function fieldsOf(input: unknown): Record<string, string> {
  try {
    parseBody(body, input);
  } catch (err) {
    if (err instanceof ValidationError) return err.fields;
    throw err;
  }
  return {};
}

describe('outbound field schemas', () => {
  it('answers normalized addresses and keeps names', () => {
    expect(parseBody(body, { to: [{ name: 'Müller, Hans', address: 'Hans@Bücher.Example' }], subject: 'Grüße' })).toEqual({
      to: [{ name: 'Müller, Hans', address: 'Hans@xn--bcher-kva.example' }],
      subject: 'Grüße',
    });
  });

  it('refuses injected names, addresses and subjects field by field', () => {
    expect(
      fieldsOf({
        to: [
          { name: '"Bank" <ceo@bank.example>, Evil', address: 'a@example.org' },
          { address: 'a@example.org, b@evil.example' },
          { name: 'Eve\u2028', address: 'e@example.org' },
        ],
        subject: 'Hi\u0085Bcc: x@evil.example',
      }),
    ).toEqual({
      'to[0].name': "must be a name, not an address: no '@', '<' or '>'",
      'to[1].address': 'must be one bare e-mail address (no name, brackets, spaces, commas or semicolons)',
      'to[2].name': 'must be one line without control characters (found U+2028 at position 4)',
      subject: 'must be one line without control characters (found U+0085 at position 3)',
    });
  });
});
