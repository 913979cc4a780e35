/** The error of a wrong deployment setting, in its own module so every context reader can throw it. */

/** Thrown when a context value is missing or malformed; the message names the key and the fix. */
export class ContextError extends Error {
  override readonly name = 'ContextError';
}
