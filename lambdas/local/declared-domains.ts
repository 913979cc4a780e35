/**
 * The local runtime's `--domain` names as Domain records (owner `stack`), so routing and the SMTP
 * receiver, which read the served domains from the config table, serve them out of the box.
 * A stand-in until the local domain registry creates them through the domain service; it only
 * adds what is absent, so a restart with the same names changes nothing and a domain an admin
 * added stays.
 */
import type { Domain, DomainStore } from '../core/domains/domain.ts';

/**
 * Stores each of `names` (lower-cased) as a `stack` domain unless a domain of that name exists:
 * no SES identity and no published records (there is neither SES nor Route 53 locally), MAIL FROM
 * `bounce.<name>`. Resolves with the names it created.
 */
export async function seedDeclaredDomains(store: Pick<DomainStore, 'create'>, names: readonly string[], now: Date = new Date()): Promise<string[]> {
  const created: string[] = [];
  for (const name of new Set(names.map((n) => n.toLowerCase().replace(/\.$/, '')))) {
    if ((await store.create(declaredDomain(name, now))) === 'created') created.push(name);
  }
  return created;
}

function declaredDomain(name: string, now: Date): Domain {
  const at = now.toISOString();
  return {
    name,
    mailFromDomain: `bounce.${name}`,
    owner: 'stack',
    // Nothing was created in SES for it, so removing the domain must delete nothing there.
    sesIdentity: 'adopted',
    dkimTokens: [],
    publishedRecords: [],
    createdAt: at,
    updatedAt: at,
  };
}
