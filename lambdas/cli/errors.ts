/**
 * The errors the CLI expects and reports as one clear line with exit code 1 (never a stack trace):
 * bad usage or configuration ({@link CliError}) and an error answer of the API ({@link ApiError}).
 */
import { CommanderError } from 'commander';
import type { ErrorReason } from '../core/error-reasons.ts';
import { ERROR_TEXT_EN } from './messages.en.ts';

/** A failure the user can fix: a wrong option, an unreachable API, missing credentials. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/**
 * The API answered with an error; carries its status, code, per-field messages, and the specific
 * reasons of the error and of its fields (absent from API Gateway's own answers and older servers).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Readonly<Record<string, string>>,
    readonly reason?: string,
    readonly fieldReasons: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The one line shown for an error. Why a line and not a trace: expected failures are the user's to
 * fix, and a trace hides the message; unexpected ones show their trace only with POSTROOM_DEBUG=1.
 */
export function describeError(err: unknown, debug = false): string {
  if (err instanceof ApiError) {
    // A field that shares the error's reason (a conflict's) was said by the headline already.
    const fieldText = (path: string, text: string) => (err.fieldReasons[path] === err.reason ? text : withText(err.fieldReasons[path], text));
    const line = headline(err);
    // A field the server's message lists already (a send refusal's `not sent: to: ...`) is said once.
    const fields = Object.entries(err.fields ?? {})
      .filter(([path, text]) => !err.message.includes(`${path}: ${text}`))
      .map(([path, text]) => `${path}: ${fieldText(path, text)}`);
    return `API error ${err.status} ${err.code}: ${line}${fields.length ? ` (${fields.join('; ')})` : ''}`;
  }
  if (err instanceof CliError) return err.message;
  const e = err instanceof Error ? err : new Error(String(err));
  return debug && e.stack ? `unexpected error: ${e.stack}` : `unexpected error: ${e.message} (set POSTROOM_DEBUG=1 for details)`;
}

/**
 * The reasons of the failures that never reached the API, for `--json` answers: commander's usage
 * errors, a {@link CliError}, anything else. Why not in core/error-reasons.ts: the API never answers
 * them, and the entity `cli` is no API entity, so no client mistakes one for an API reason.
 */
export const CLI_ERROR_REASONS = { usage: 'cli.usage', failed: 'cli.failed', unexpected: 'cli.unexpected' } as const;

/** A failed command's error as `--json` prints it: the API's reason and fields when the API refused. */
export interface ErrorJson {
  readonly error: {
    readonly reason: string;
    /** The line {@link describeError} would print, without its `API error <status> <code>:` lead. */
    readonly message: string;
    /** Only for an API answer: its HTTP status and error code (the family of the reason). */
    readonly status?: number;
    readonly code?: string;
    readonly fields?: readonly { readonly path: string; readonly message: string; readonly reason?: string }[];
  };
}

/**
 * The error as `--json` prints it, so a script reads the reason and the fields instead of parsing
 * a line. An API error without a reason (API Gateway's own answers) gives its code as the reason.
 * `debug` as for {@link describeError}. @default debug false
 */
export function errorJson(err: unknown, debug = false): ErrorJson {
  if (err instanceof ApiError) {
    const fields = Object.entries(err.fields ?? {}).map(([path, message]) => ({ path, message, ...(err.fieldReasons[path] !== undefined && { reason: err.fieldReasons[path] }) }));
    return { error: { reason: err.reason ?? err.code, message: headline(err), status: err.status, code: err.code, ...(fields.length > 0 && { fields }) } };
  }
  if (err instanceof CommanderError) return { error: { reason: CLI_ERROR_REASONS.usage, message: err.message.replace(/^error: /, '') } };
  const reason = err instanceof CliError ? CLI_ERROR_REASONS.failed : CLI_ERROR_REASONS.unexpected;
  return { error: { reason, message: describeError(err, debug) } };
}

/** The text of a reason this CLI knows, undefined for one it does not (a newer server's). */
export function reasonText(reason: string | undefined): string | undefined {
  return reason !== undefined && Object.hasOwn(ERROR_TEXT_EN, reason) ? ERROR_TEXT_EN[reason as keyof typeof ERROR_TEXT_EN] : undefined;
}

/**
 * The error's own line. A validation error's message only lists the paths of its fields, which
 * follow with their messages, so its reason's text stands alone.
 */
function headline(err: ApiError): string {
  if (err.reason === ('request.invalid' satisfies ErrorReason) && err.fields) return reasonText(err.reason) ?? err.message;
  return withText(err.reason, err.message);
}

/**
 * The reason's text, then the server's message with the specifics (ids, limits); the message alone
 * for an unknown reason, or for one that already begins with the text (`unknown placeholder {{x}}`).
 */
function withText(reason: string | undefined, message: string): string {
  const text = reasonText(reason);
  return text === undefined || message.toLowerCase().startsWith(text.toLowerCase()) ? message : `${text}: ${message}`;
}
