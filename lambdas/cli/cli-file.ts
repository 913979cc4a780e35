/**
 * A file a command reads whole (a flow, a template body, a message to dry-run): refused in one
 * line when it cannot be read or is larger than the command's limit.
 */
import { readFile } from 'node:fs/promises';
import { CliError } from './errors.ts';
import { CLI_TEXT_EN } from './messages.en.ts';

/**
 * The bytes of `path`, at most `maxBytes` of them.
 * @throws CliError `cannot read <path>: <code>` or `<path> is larger than <maxBytes> bytes`
 */
export async function readCliFile(path: string, maxBytes: number): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new CliError(CLI_TEXT_EN.cannotRead(path, err), { cause: err });
  }
  if (bytes.length > maxBytes) throw new CliError(CLI_TEXT_EN.fileTooLarge(path, maxBytes));
  return bytes;
}
