/**
 * Removes C0 control characters from text Postroom stores and shows. A NUL or an escape sequence in
 * a subject or preview breaks terminals (the CLI), JSON consumers written in C, and DynamoDB
 * consoles, and carries no meaning in mail text; tab, CR and LF are text and stay.
 */

/** C0 controls except tab (09), LF (0A) and CR (0D). */
const C0_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const HAS_C0_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/**
 * `value` without C0 controls other than tab, CR and LF. Returns the same string, uncopied, when
 * there is nothing to strip (the common case, and bodies can be megabytes).
 */
export function stripControlChars(value: string): string {
  return HAS_C0_CONTROL.test(value) ? value.replace(C0_CONTROLS, '') : value;
}
