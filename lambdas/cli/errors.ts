/**
 * The errors the CLI expects and reports as one clear line with exit code 1 (never a stack trace):
 * bad usage or configuration ({@link CliError}) and an error answer of the API ({@link ApiError}).
 */
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
    const fields = Object.entries(err.fields ?? {}).map(([path, text]) => `${path}: ${fieldText(path, text)}`);
    return `API error ${err.status} ${err.code}: ${headline(err)}${fields.length ? ` (${fields.join('; ')})` : ''}`;
  }
  if (err instanceof CliError) return err.message;
  const e = err instanceof Error ? err : new Error(String(err));
  return debug && e.stack ? `unexpected error: ${e.stack}` : `unexpected error: ${e.message} (set POSTROOM_DEBUG=1 for details)`;
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
