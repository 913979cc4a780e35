/**
 * The admin forms put each of the API's field messages at its field and list the rest
 * (console/src/components/forms/field-errors.ts): nothing the API said is lost.
 */
import { describe, expect, it } from 'vitest';
import { fieldError, unclaimedFieldErrors } from '../../../console/src/components/forms/field-errors.ts';
import { ApiError } from '../../../console/src/lib/api-client.ts';

const error = new ApiError(400, 'validation', 'request.invalid', 'invalid', {
  name: 'must be at most 200 characters',
  'routing.address': 'a@b has no address route: add it (address add) or route by a flow',
  'additionalSenders[1]': 'must be an e-mail address',
  'oauth2.clientId': 'must be 1-256 characters',
  surprise: 'is not allowed',
});

describe('field errors', () => {
  it('finds a field\'s own message and those of everything under it, naming the sub-path', () => {
    expect(fieldError(error, 'name')).toBe('must be at most 200 characters');
    expect(fieldError(error, 'routing')).toBe('address: a@b has no address route: add it (address add) or route by a flow');
    expect(fieldError(error, 'additionalSenders')).toBe('[1]: must be an e-mail address');
    expect(fieldError(error, 'oauth2.clientId')).toBe('must be 1-256 characters');
  });

  it('does not take a field whose name only starts the same', () => {
    expect(fieldError(error, 'nam')).toBeUndefined();
    expect(fieldError(error, 'oauth')).toBeUndefined();
  });

  it('lists what no field of the form shows, and nothing for an error that is not the API\'s', () => {
    expect(unclaimedFieldErrors(error, ['name', 'routing', 'additionalSenders', 'oauth2'])).toEqual([['surprise', 'is not allowed']]);
    expect(fieldError(new Error('network'), 'name')).toBeUndefined();
    expect(unclaimedFieldErrors(undefined, [])).toEqual([]);
  });
});
