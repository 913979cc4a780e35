/**
 * The custom resource for the e-mail domains declared in the CDK app (`postroom:domains`; its
 * construct is in lib/), run by the CDK Provider framework, which reports a thrown error as the
 * failed resource's reason. The `Domains` property is a JSON list of `{ name, mailFromDomain?,
 * hostedZoneId?, dmarcReportAddress? }`; the deploy applies the difference to the previous list
 * (core/domains/domain-declaration.ts) through the registry the API uses, as owner `stack`.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import { applyDeclaration, declarationChange } from '../core/domains/domain-declaration.ts';
import { ValidationError } from '../core/errors.ts';
import { dnsName, type DomainInput } from '../core/domains/domain-setup.ts';
import { domainServiceFromEnv } from '../adapters/domain-service-env.ts';

/** Fixed: one resource holds the whole declaration, and a new id would make CloudFormation delete the old one. */
export const DECLARED_DOMAINS_ID = 'postroom-declared-domains';

const service = domainServiceFromEnv();

const declaration = z.array(
  z.object({
    name: z.string(),
    mailFromDomain: z.optional(z.string()),
    hostedZoneId: z.optional(z.string()),
    dmarcReportAddress: z.optional(z.string()),
  }),
);

/** Provider framework onEvent: Create adds every declared domain, Update the difference, Delete removes the stack's. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string; Data: Record<string, string> }> {
  const next = event.RequestType === 'Delete' ? [] : domainsOf(event.ResourceProperties);
  const previous = event.RequestType === 'Create' ? [] : domainsOf(event.RequestType === 'Update' ? event.OldResourceProperties : event.ResourceProperties);
  const outcome = await applyDeclaration(service, declarationChange(previous, next)).catch((err: unknown) => {
    // CloudFormation shows only the message: a field error's own says just which fields.
    if (err instanceof ValidationError) throw new Error(`postroom:domains: ${Object.entries(err.fields).map(([f, m]) => `${f}: ${m}`).join('; ')}`, { cause: err });
    throw err;
  });
  return {
    PhysicalResourceId: DECLARED_DOMAINS_ID,
    Data: { Added: outcome.added.join(','), Removed: outcome.removed.join(','), Kept: outcome.kept.join(',') },
  };
}

/**
 * The declared domains of a property set.
 * @throws Error when `Domains` is not a JSON list of domain declarations, or names a domain twice
 */
export function domainsOf(properties: Record<string, unknown> | undefined): DomainInput[] {
  const raw = properties?.['Domains'];
  let parsed: unknown;
  try {
    parsed = typeof raw === 'string' ? JSON.parse(raw) : raw ?? [];
  } catch {
    throw new Error('the Domains property is not JSON');
  }
  const result = z.safeParse(declaration, parsed);
  if (!result.success) throw new Error('the Domains property must be a JSON list of { name, mailFromDomain?, hostedZoneId?, dmarcReportAddress? }');
  const names = result.data.map((d) => dnsName(d.name));
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`the Domains property declares ${twice} twice`);
  return result.data;
}
