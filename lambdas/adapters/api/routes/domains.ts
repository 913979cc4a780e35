/**
 * E-mail domains (issue 9 items 1, 4, 5): add, list, show, remove, their DNS records and a check
 * now. The body's shape is checked here; names, limits and ownership are the registry's
 * (core/domains/domain-service.ts), which answers them as field errors and conflicts. Domains added
 * here are owned by the API (`api`); those declared in the CDK app are shown, never changed.
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { statusSummary, type DomainCheckResult } from '../../../core/domains/domain-check.ts';
import type { DomainService } from '../../../core/domains/domain-service.ts';
import type { Domain } from '../../../core/domains/domain.ts';
import { jsonBody, parseBody, parseParams } from '../validation.ts';

/** Caps far above a real value, so a hostile body is refused before it costs anything. */
const DOMAIN_SHAPE_LIMITS = {
  /** A DNS name is at most 253 characters (RFC 1035); one trailing dot allowed. */
  maxNameChars: 254,
  /** Route 53 zone ids are 32 characters at most; `/hostedzone/` may precede them. */
  maxZoneIdChars: 64,
  /** An e-mail address is at most 254 characters (RFC 5321 4.5.3.1.3), `mailto:` may precede it. */
  maxAddressChars: 261,
} as const;

const text = (max: number) => z.string().check(z.minLength(1, 'must not be empty'), z.maxLength(max, `at most ${max} characters`));

/** The body of `POST /domains`. */
export const domainCreateBody = z.strictObject({
  name: text(DOMAIN_SHAPE_LIMITS.maxNameChars),
  mailFromDomain: z.optional(text(DOMAIN_SHAPE_LIMITS.maxNameChars)),
  hostedZoneId: z.optional(
    z.pipe(
      z.string().check(z.regex(new RegExp(`^(?:/hostedzone/)?[A-Z0-9]{1,${DOMAIN_SHAPE_LIMITS.maxZoneIdChars}}$`), 'must be a Route 53 hosted zone id such as Z0123456789ABCDEF')),
      z.transform((id) => id.replace(/^\/hostedzone\//, '')),
    ),
  ),
  dmarcReportAddress: z.optional(text(DOMAIN_SHAPE_LIMITS.maxAddressChars)),
});

const nameParams = z.object({ name: text(DOMAIN_SHAPE_LIMITS.maxNameChars) });

/** `POST|GET /domains`, `GET|DELETE /domains/:name`, `GET /domains/:name/records`, `POST /domains/:name/check`. */
export function domainRoutes(domains: DomainService): Hono {
  const routes = new Hono();

  routes.post('/domains', async (c) => {
    const body = parseBody(domainCreateBody, await jsonBody(c.req));
    const { domain, plan } = await domains.add(body, 'api');
    return c.json({ domain, plan }, 201);
  });

  routes.get('/domains', async (c) => c.json({ domains: await domains.list() }));

  routes.get('/domains/:name', async (c) => {
    const { name } = parseParams(nameParams, c.req.param());
    const domain = await domains.get(name);
    const [ses, plan] = [await domains.sesStatus(domain.name), domains.checkPlan(domain)];
    return c.json({
      domain,
      ...(plan && { plan }),
      ...(ses && { ses }),
      summary: domain.status ? statusSummary(domain.status) : [notCheckedYet(domain)],
    });
  });

  routes.delete('/domains/:name', async (c) => {
    const { name } = parseParams(nameParams, c.req.param());
    await domains.remove(name, 'api');
    return c.body(null, 204);
  });

  routes.get('/domains/:name/records', async (c) => {
    const { name } = parseParams(nameParams, c.req.param());
    return c.json({ plan: await domains.records(name) });
  });

  routes.post('/domains/:name/check', async (c) => {
    const { name } = parseParams(nameParams, c.req.param());
    return c.json(checkView(await domains.check(name)));
  });

  return routes;
}

/** A check as the API answers it: the stored status, SES's view, and each record with its state and detail. */
export function checkView(result: DomainCheckResult) {
  return {
    status: result.status,
    summary: statusSummary(result.status),
    ...(result.ses && { ses: result.ses }),
    verdict: result.dns.verdict,
    records: result.dns.records.map((c) => ({
      name: c.record.name,
      type: c.record.type,
      purpose: c.record.purpose,
      expected: c.record.values,
      state: c.state,
      detail: c.detail,
      ...(c.found && { found: c.found }),
      ...(c.optional && { optional: true }),
    })),
  };
}

function notCheckedYet(domain: Domain): string {
  return domain.provisioning ? 'The setup of this domain did not finish: run `postroom domain add` again.' : 'Not checked yet: run `postroom domain check`.';
}
