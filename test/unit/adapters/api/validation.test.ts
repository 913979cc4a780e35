import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { FIELD_ERROR_CODES } from '../../../../lambdas/core/error-codes.ts';
import { ValidationError } from '../../../../lambdas/core/errors.ts';
import { idParams, pageQuery } from '../../../../lambdas/adapters/api/params.ts';
import { addressCreateBody, flowBody, templateBody } from '../../../../lambdas/adapters/api/routes/routing-schemas.ts';
import { parseBody, parseInput, parseParams } from '../../../../lambdas/adapters/api/validation.ts';

/** The fields and codes of the ValidationError `parse` throws. */
function failure(parse: () => unknown): { fields: Record<string, string>; codes: Record<string, string> } {
  try {
    parse();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return { fields: (err as ValidationError).fields, codes: { ...(err as ValidationError).fieldCodes } };
  }
  throw new Error('expected a ValidationError');
}

const address = { address: 'help@support.example.com', fromName: 'Help', routing: { kind: 'queue', queueId: 'billing' } };

describe('validation at the API edge', () => {
  it('says what type a field must be instead of "is required"', () => {
    const bad = failure(() => parseBody(addressCreateBody, { ...address, fromName: 7, bcc: 'a@b.test', routing: { kind: 'queue', queueId: 'billing', skills: 42, priority: 'high' } }));
    expect(bad.fields).toEqual({
      fromName: 'must be a string',
      bcc: 'must be an array of strings',
      'routing.skills': 'must be an array of strings',
      'routing.priority': 'must be an integer between -1000000 and 1000000',
    });
    expect(Object.values(bad.codes)).toEqual(Array(4).fill(FIELD_ERROR_CODES.invalidType));
  });

  it('says "is required" only for a missing field, including a missing discriminator', () => {
    const bad = failure(() => parseBody(flowBody, { rules: [{ then: [{ queueId: 'billing' }] }] }));
    expect(bad.fields).toEqual({ name: 'is required', 'rules[0].then[0].type': 'is required' });
    expect(bad.codes).toEqual({ name: 'required', 'rules[0].then[0].type': 'required' });
  });

  it('refuses each unknown field by its own path', () => {
    const bad = failure(() => parseBody(templateBody, { name: 'n', subject: 's', body: 'b', colour: 'red', size: 1 }));
    expect(bad.fields).toEqual({ colour: 'is not allowed', size: 'is not allowed' });
    expect(bad.codes).toEqual({ colour: 'not-allowed', size: 'not-allowed' });
    const nested = failure(() => parseBody(addressCreateBody, { ...address, routing: { kind: 'none', queueId: 'x' } }));
    expect(nested.fields).toEqual({ 'routing.queueId': 'is not allowed' });
  });

  it('keeps the limits of the schema with their own messages and codes', () => {
    const bad = failure(() => parseBody(flowBody, { name: 'x'.repeat(201), rules: [{ when: [{ field: 'colour', op: 'equals' }], then: [{ type: 'explode' }] }] }));
    expect(bad.fields).toEqual({
      name: 'at most 200 characters',
      'rules[0].when[0].field': 'must be one of recipient, sender, subject, body, header, language, verdict',
      'rules[0].then[0].type': 'must be an action: setQueue, setSkills, addSkills, setLanguage, setPriority, adjustPriority, autoAcknowledge, tag or disconnect',
    });
    expect(bad.codes).toEqual({ name: 'too-big', 'rules[0].when[0].field': 'invalid-value', 'rules[0].then[0].type': 'invalid-value' });
  });

  it('words a body that is not an object', () => {
    expect(failure(() => parseBody(flowBody, ['a'])).fields).toEqual({ body: 'must be a JSON object' });
  });

  it('parses parameters with their one-line messages and keeps defaults and transforms', () => {
    expect(parseParams(pageQuery, {})).toEqual({ limit: 50 });
    expect(parseParams(pageQuery, { limit: '7', cursor: 'abc' })).toEqual({ limit: 7, cursor: 'abc' });
    expect(failure(() => parseParams(pageQuery, { limit: '0' }))).toEqual({ fields: { limit: 'must be an integer between 1 and 200' }, codes: { limit: 'too-small' } });
    expect(failure(() => parseParams(idParams, { id: 'a b' })).codes).toEqual({ id: 'invalid-format' });
  });

  it('words issues no schema worded itself, never with the validator text', () => {
    const schema = z.strictObject({ n: z.number().check(z.lte(3)), s: z.string().check(z.minLength(2)), l: z.array(z.string()).check(z.maxLength(1)) });
    expect(failure(() => parseInput(schema, { n: 4, s: 'a', l: ['a', 'b'] })).fields).toEqual({
      n: 'must be at most 3',
      s: 'must be at least 2 characters',
      l: 'must be at most 1 item',
    });
  });

  it('never answers with zod text for any JSON body', () => {
    const zodWords = /invalid input|expected|received|too big|too small|unrecognized|zod/i;
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.record({ name: fc.json(), rules: fc.array(fc.record({ when: fc.json(), then: fc.json() })) })), (json) => {
        for (const schema of [flowBody, addressCreateBody, templateBody]) {
          try {
            parseBody(schema, typeof json === 'string' ? JSON.parse(json) : json);
          } catch (err) {
            if (!(err instanceof ValidationError)) throw err;
            for (const message of Object.values(err.fields)) expect(message).not.toMatch(zodWords);
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
