/**
 * The console's runtime configuration: `config.json` beside index.html (locally served by the
 * runtime at /console/config.json, deployed written by the stack). Read once at start; nothing about
 * the deployment is baked into the bundle, so one build serves every stack.
 */
import type { ConsoleConfig } from '../../../contract/console.ts';

export type { ConsoleConfig };

/** Why a config cannot be used; shown on the start screen. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Fetches and checks `./config.json` relative to the page (so it works under /console/ and at a
 * CloudFront root alike).
 * @param fetcher defaults to the global fetch
 */
export async function loadConfig(fetcher: typeof fetch = fetch): Promise<ConsoleConfig> {
  const res = await fetcher('./config.json', { cache: 'no-store' });
  if (!res.ok) throw new ConfigError(`config.json answered ${res.status}`);
  const json = (await res.json()) as Partial<ConsoleConfig>;
  const auth = json.auth;
  const urls = [json.apiUrl, auth?.authorizeUrl, auth?.tokenUrl, auth?.logoutUrl];
  if (!auth || !auth.clientId || urls.some((u) => typeof u !== 'string' || !u)) {
    throw new ConfigError('config.json lacks apiUrl or auth.{authorizeUrl,tokenUrl,logoutUrl,clientId}');
  }
  return { ...(json as ConsoleConfig), apiUrl: json.apiUrl!.replace(/\/+$/, '') };
}
