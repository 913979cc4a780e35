/**
 * The errors the CLI expects and reports as one clear line with exit code 1 (never a stack trace):
 * bad usage or configuration ({@link CliError}) and an error answer of the API ({@link ApiError}).
 */

/** A failure the user can fix: a wrong option, an unreachable API, missing credentials. */
export class CliError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
  }
}

/** The API answered with an error; carries its status, code and per-field messages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Readonly<Record<string, string>>,
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
    const fields = Object.entries(err.fields ?? {}).map(([name, text]) => `${name}: ${text}`);
    return `API error ${err.status} ${err.code}: ${err.message}${fields.length ? ` (${fields.join('; ')})` : ''}`;
  }
  if (err instanceof CliError) return err.message;
  const e = err instanceof Error ? err : new Error(String(err));
  return debug && e.stack ? `unexpected error: ${e.stack}` : `unexpected error: ${e.message} (set POSTROOM_DEBUG=1 for details)`;
}
