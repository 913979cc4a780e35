/**
 * What every command gets: where to write, and the API client for the global options
 * (`--api` or `--stack`), built only when a command needs it.
 */
import type { Command } from 'commander';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { interactionView, disposedView, quarantineView, queueEntryView, queueView } from '../adapters/api/views.ts';
import { ApiClient } from './api-client.ts';
import { CliError } from './errors.ts';
import { CLI_TEXT_EN } from './messages.en.ts';
import { localAdminSend } from './local-auth.ts';
import { resolveApiUrl } from './target.ts';

/** The process's streams, env and directory, injected so commands run in tests without a child process. */
export interface CliIo {
  /** Writes to standard output as is (commands add their own newlines). */
  out(text: string): void;
  err(text: string): void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
}

/** Shared by all commands; the API client is resolved per command because options are per invocation. */
export interface CliContext {
  readonly io: CliIo;
  /** The API client for the global options of `command`. */
  api(command: Command): Promise<ApiClient>;
}

/** The JSON shapes of the API, typed from the views that produce them. */
export type QueueJson = ReturnType<typeof queueView>;
export type QueueEntryJson = ReturnType<typeof queueEntryView>;
export type InteractionJson = ReturnType<typeof interactionView>;
export type QuarantineJson = ReturnType<typeof quarantineView>;
export type DisposedJson = ReturnType<typeof disposedView>;
export interface PageJson<T> {
  readonly interactions: T[];
  readonly cursor?: string;
}

/**
 * Builds the context. `cloudFormation` (given the `--region`, if any) is injectable because no
 * local CloudFormation server exists to test `--stack` against.
 */
export function createContext(io: CliIo, options: { cloudFormation?: (region?: string) => CloudFormationClient } = {}): CliContext {
  return {
    io,
    async api(command) {
      const { api, stack, region } = command.optsWithGlobals<{ api?: string; stack?: string; region?: string }>();
      if (api !== undefined && stack !== undefined) throw new CliError(CLI_TEXT_EN.oneOf('--api', '--stack'));
      if (region !== undefined && stack === undefined) throw new CliError('--region applies to --stack only');
      if (stack !== undefined) {
        // Loaded only for --stack: the AWS SDK is most of what a command would otherwise load.
        const { defaultCloudFormation, executeApiSigner, resolveStackApi, signedGet } = await import('./stack.ts');
        const target = await resolveStackApi(stack, (options.cloudFormation ?? defaultCloudFormation)(region));
        return new ApiClient(target.apiUrl, signedGet(executeApiSigner(target.region)), ` (stack ${stack})`);
      }
      const target = resolveApiUrl({ flag: api, env: io.env, cwd: io.cwd });
      const { url, source } = target;
      const hint = source === 'default' || source === '.postroom/runtime.json' ? '; is `postroom dev` running?' : '';
      // The local runtime: an admin token minted with its key (local-auth.ts); elsewhere unsigned.
      return new ApiClient(url, await localAdminSend(target, io), ` (from ${source}${hint})`);
    },
  };
}
