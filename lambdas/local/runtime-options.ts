/**
 * What `startLocalRuntime` (runtime.ts) and `postroom dev` can be told: ports, data folder,
 * declared domains, routing defaults, DNS, mail server trust and logging.
 */
import type { MailServerServiceOptions } from '../adapters/mail-server-service-env.ts';

export interface LocalRuntimeOptions {
  /** Where DynamoDB data and S3 objects (`s3/buckets/<bucket>/...`) persist. @default '.postroom/data' */
  readonly dataDir?: string;
  /** Keep DynamoDB in memory and S3 objects in a temp folder deleted at stop. @default false */
  readonly memory?: boolean;
  /** @default 2525 */
  readonly smtpPort?: number;
  /** @default 8787 */
  readonly apiPort?: number;
  /**
   * The declared domains (the CDK app's `postroom:domains` locally): added to the domain registry
   * with owner `stack` at start; more can be added with `postroom domain add`. @default ['example.test']
   */
  readonly domains?: readonly string[];
  /** How many domains the registry accepts, declared ones included. @default DOMAIN_LIMITS.defaultMaxDomains (2) */
  readonly maxDomains?: number;
  /** How often every domain's status is checked and stored. @default 60 */
  readonly domainCheckSeconds?: number;
  /** @default 'default' */
  readonly defaultQueueId?: string;
  /** @default 0 */
  readonly defaultPriority?: number;
  /** ISO 639-1 codes language detection chooses among. @default DEFAULT_LANGUAGES (contract/routing-settings.ts) */
  readonly languages?: readonly string[];
  /** Where `runtime.json` (the API URL for the CLI) is written. @default '.postroom' */
  readonly stateDir?: string;
  /**
   * DNS servers (`ip` or `ip:port`) for SPF/DKIM/DMARC lookups, and where the SES identity
   * stand-in and `domain check` look for a domain's records. @default the system's resolvers
   */
  readonly dnsServers?: readonly string[];
  /** How long a failed record stays invisible before its retry. @default 10 */
  readonly visibilityTimeoutSeconds?: number;
  /**
   * PEM files of extra CA certificates the mailbox pollers trust, for local mail servers with a
   * self-signed certificate. @default none (the system's CAs only)
   */
  readonly mailCaFiles?: readonly string[];
  /**
   * A served domain for the VERP return paths of mail sent through SMTP servers
   * (`bounces+<outboxId>@` it; RETURN_PATH_DOMAIN), whose bounces ingest reads back. @default none: the From address
   */
  readonly returnPathDomain?: string;
  /** Overrides of the mail server registry's wiring. @default the real connection test (trusting `mailCaFiles`) and an immediate poll on save */
  readonly mailServers?: MailServerServiceOptions;
  /** The built console served at /console/. @default console/dist of this checkout */
  readonly consoleDir?: string;
  /** Log the handlers' structured INFO lines too. @default false */
  readonly verbose?: boolean;
  readonly log?: (line: string) => void;
}
