/**
 * Domains declared in the CDK app (`postroom:domains`), applied by the deploy's custom resource
 * (handlers/declared-domains.ts) through the same registry the API uses. A deploy acts only on the
 * difference between the previous and the new declaration (README "Domains are data"), so it never
 * undoes what an admin did at runtime: it adds what is new or changed, removes what was dropped,
 * and the registry keeps each side to its own domains.
 */
import { NotFoundError } from '../errors.ts';
import { dnsName, type DomainInput } from './domain-setup.ts';
import type { DomainService } from './domain-service.ts';

/** What a deploy changes. */
export interface DeclarationChange {
  /** New or changed declarations, added (or brought to the declaration) with owner `stack`. */
  readonly add: readonly DomainInput[];
  /** Names no longer declared, removed if the stack owns them. */
  readonly remove: readonly string[];
}

/** What a deploy did: names added or updated, removed, and left because an admin owns them. */
export interface DeclarationOutcome {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  readonly kept: readonly string[];
}

/**
 * The change from `previous` to `next` (each a declaration; `previous` empty on create, `next`
 * empty on delete). Names compare as DNS does; a declaration is changed when any setting differs.
 */
export function declarationChange(previous: readonly DomainInput[], next: readonly DomainInput[]): DeclarationChange {
  const before = new Map(previous.map((d) => [dnsName(d.name), settingsOf(d)]));
  const after = new Set(next.map((d) => dnsName(d.name)));
  return {
    add: next.filter((d) => before.get(dnsName(d.name)) !== settingsOf(d)),
    remove: [...before.keys()].filter((name) => !after.has(name)),
  };
}

/**
 * Applies `change`: removals first (they free the organisation's domain limit for additions), a
 * domain already gone counting as removed (a retried deploy), then additions in order.
 * @throws the registry's errors: a conflict or a field error fails the deploy with its message
 */
export async function applyDeclaration(service: DomainService, change: DeclarationChange): Promise<DeclarationOutcome> {
  const removed: string[] = [];
  const kept: string[] = [];
  for (const name of change.remove) {
    const outcome = await service.remove(name, 'stack').catch((err: unknown) => {
      if (err instanceof NotFoundError) return 'removed' as const;
      throw err;
    });
    (outcome === 'kept' ? kept : removed).push(name);
  }
  const added: string[] = [];
  for (const input of change.add) added.push((await service.add(input, 'stack')).domain.name);
  return { added, removed, kept };
}

function settingsOf(d: DomainInput): string {
  return JSON.stringify([dnsName(d.name), d.mailFromDomain ?? '', d.hostedZoneId ?? '', d.dmarcReportAddress ?? '']);
}
