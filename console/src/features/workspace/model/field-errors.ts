/**
 * The API names fields by path (`to`, `to[2]`, `cc[0].address`, `attachments[1]`); a form shows
 * them at the field they belong to: the part before the first `[` or `.`, messages joined.
 */

/** The API's `fields` grouped by the form field they belong to. */
export function fieldErrors(fields: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    const field = path.split(/[[.]/)[0] ?? path;
    const item = path.length > field.length ? `${path.slice(field.length)}: ` : '';
    out[field] = out[field] ? `${out[field]}; ${item}${message}` : `${item}${message}`;
  }
  return out;
}
