/**
 * Every stable machine code the HTTP API answers with, in one place (STYLE.md habit 13): the CLI
 * and the console key their translations on these (`api-errors.${code}`, `field-errors.${code}`),
 * so a code is never renamed or reused for another meaning; the English messages beside them may change.
 */

/**
 * Top-level codes of `{ error: { code, message, fields?, issues? } }`, with the HTTP status each is
 * answered with.
 */
export const API_ERROR_CODES = {
  /** 400: the request failed validation; `fields` and `issues` say which field and why. */
  validation: 'validation',
  /** 400: a malformed request that is not about one field (e.g. an HTTP-level parse failure). */
  badRequest: 'bad-request',
  /** 401: no credential, or one that does not verify; `reason` says which (`auth.token-expired`, ...). */
  unauthenticated: 'unauthenticated',
  /** 403: the caller's role or its agent's queues and claims do not allow this request. */
  forbidden: 'forbidden',
  /** 403: the local API refused a request a web page sent (an `Origin` or `Host` that is not the API's own). */
  forbiddenOrigin: 'forbidden-origin',
  /** 404: no route serves the path, or the thing asked for does not exist. */
  notFound: 'not-found',
  /** 405: the path exists but not for this method; the `Allow` header lists the methods it has. */
  methodNotAllowed: 'method-not-allowed',
  /** 409: the request conflicts with what is stored. */
  conflict: 'conflict',
  /** 409: a flow cannot be deleted while an address route or another flow version names it. */
  flowInUse: 'flow-in-use',
  /** 409: a template cannot be deleted while a flow names it. */
  templateInUse: 'template-in-use',
  /** 409: the flow is being deleted; nothing may start naming it. */
  flowBeingDeleted: 'flow-being-deleted',
  /** 409: the address route changed since it was read; read it again and retry. */
  addressChanged: 'address-changed',
  /** 413: the body is larger than the API accepts (see API_BODY_LIMIT_BYTES). */
  payloadTooLarge: 'payload-too-large',
  /** 415: a body (or a Content-Type) that is not `application/json`. */
  unsupportedMediaType: 'unsupported-media-type',
  /** 500: a bug; the details are logged, never answered. */
  internal: 'internal',
  /** 503: briefly unavailable; retry. */
  unavailable: 'unavailable',
  /** 503: this API was deployed without the inbound queue, so it cannot redrive dead letters; retrying will not help. */
  redriveUnavailable: 'redrive-unavailable',
  /** 422: the connection test of an enabled mail server failed; `test` says why in words, nothing was stored. */
  mailServerConnectionFailed: 'mail-server-connection-failed',
  /** 503: this deployment has no connection tester, so an enabled mail server cannot be saved; retrying will not help. */
  connectionTestUnavailable: 'connection-test-unavailable',
  /** 422: a send request was refused before anything was enqueued (suppressed recipient, no route, too many recipients, too large); `issues` say which field and why. */
  sendRefused: 'send-refused',
} as const;

/** One of {@link API_ERROR_CODES}. */
export type ApiErrorCode = (typeof API_ERROR_CODES)[keyof typeof API_ERROR_CODES];

/** Codes of one field's problem, answered in `issues[].code` beside the field's message. */
export const FIELD_ERROR_CODES = {
  /** The field is missing. */
  required: 'required',
  /** The field has the wrong JSON type (a number where a string belongs, ...). */
  invalidType: 'invalid-type',
  /** The field is not part of the body's shape; admin configuration is strict, so it is refused, not ignored. */
  notAllowed: 'not-allowed',
  /** Too long a text or list, too large a number. */
  tooBig: 'too-big',
  /** Too short a text or list, too small a number. */
  tooSmall: 'too-small',
  /** A text that does not have the required form (an id, a slug, a version number). */
  invalidFormat: 'invalid-format',
  /** A value outside a closed set (an enum, a discriminator, an ISO 639-1 code). */
  invalidValue: 'invalid-value',
  /** A value that breaks a rule of the configuration (a queue that does not exist, a pattern that backtracks). */
  invalid: 'invalid',
  /** The value conflicts with what is stored (409 answers). */
  conflict: 'conflict',
} as const;

/** One of {@link FIELD_ERROR_CODES}. */
export type FieldErrorCode = (typeof FIELD_ERROR_CODES)[keyof typeof FIELD_ERROR_CODES];
