/**
 * What happens before the first render: read config.json, finish a sign-in coming back with a
 * code, or restore the tab's session; with none, leave for the sign-in page (unless the user just
 * signed out: then the start screen offers a button). Connects the API client to the session.
 */
import { configureApi } from '../lib/api-client.ts';
import { accessToken, beginSignIn, completeSignIn, dropSession, restoreSession, wasSignedOut } from '../lib/auth/index.tsx';
import { loadConfig, type ConsoleConfig } from '../lib/config.ts';

/** Where the start ended. */
export type BootResult =
  | { readonly state: 'ready'; readonly config: ConsoleConfig }
  | { readonly state: 'signed-out'; readonly config: ConsoleConfig }
  | { readonly state: 'redirecting' }
  | { readonly state: 'failed'; readonly stage: 'config' | 'sign-in'; readonly reason: string };

/** Starts the console; see the module comment. */
export async function boot(): Promise<BootResult> {
  let config: ConsoleConfig;
  try {
    config = await loadConfig();
  } catch (err) {
    return { state: 'failed', stage: 'config', reason: (err as Error).message };
  }
  configureApi({
    baseUrl: config.apiUrl,
    token: () => accessToken(config),
    onUnauthenticated: () => {
      // A 401 means the token is no good any more: sign in again, coming back to the same page.
      dropSession();
      void beginSignIn(config);
    },
  });
  try {
    if (await completeSignIn(config)) return { state: 'ready', config };
  } catch (err) {
    return { state: 'failed', stage: 'sign-in', reason: (err as Error).message };
  }
  if (restoreSession(config)) return { state: 'ready', config };
  if (wasSignedOut()) return { state: 'signed-out', config };
  await beginSignIn(config);
  return { state: 'redirecting' };
}
