/**
 * E-mail domains as the API answers them (lambdas/adapters/api/routes/domains.ts). Written out
 * here rather than imported from lambdas/core, whose modules need Node's types.
 */

export type VerificationState = 'not-started' | 'pending' | 'verified' | 'failed' | 'temporary-failure';

/** One DNS record of the plan. */
export interface DnsRecord {
  readonly name: string;
  readonly type: 'CNAME' | 'MX' | 'TXT';
  readonly values: readonly string[];
  readonly ttl: number;
  readonly purpose: string;
  readonly optional?: boolean;
}

export interface DnsRecordPlan {
  readonly domain: string;
  readonly records: readonly DnsRecord[];
  readonly notes: readonly string[];
}

/** What the last check found (stored on the domain). */
export interface DomainStatus {
  readonly checkedAt: string;
  readonly identity: VerificationState;
  readonly dkim: VerificationState;
  readonly mailFrom: VerificationState;
  readonly verifiedForSending: boolean;
  readonly dns: 'ok' | 'action-needed' | 'unknown';
  /** Each record of the plan with its state at that check (`ok`, `missing`, `wrong-value`, ...). */
  readonly records?: readonly { readonly name: string; readonly type: string; readonly purpose: string; readonly state: string; readonly optional?: boolean }[];
}

export interface Domain {
  readonly name: string;
  readonly mailFromDomain: string;
  readonly hostedZoneId?: string;
  readonly owner: 'stack' | 'api';
  readonly status?: DomainStatus;
  readonly provisioning?: unknown;
}

/** `POST /domains/:name/check`: each record with its state. */
export interface CheckAnswer {
  readonly status: DomainStatus;
  readonly summary: readonly string[];
  readonly verdict: string;
  readonly records: readonly {
    readonly name: string;
    readonly type: string;
    readonly purpose: string;
    readonly expected: readonly string[];
    readonly state: string;
    readonly detail: string;
    readonly found?: readonly string[];
    readonly optional?: boolean;
  }[];
}
