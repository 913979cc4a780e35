/**
 * The SES identity stand-in of the local runtime (issue 9 item 7): there is no local emulator for
 * SES v2 identities, so this plays SES's part behind the same {@link SesIdentityPort}. An identity
 * gets three random Easy-DKIM-shaped tokens and a MAIL FROM domain; its status is read from the
 * runtime's DNS servers (`dev --dns`) the way SES reads public DNS, so a newcomer can onboard a
 * domain end to end on one machine by publishing the printed records in a local DNS server.
 *
 * Verification, as SES v2 does it: the identity is verified through DKIM (all three
 * `<token>._domainkey.<domain>` CNAMEs point to `<token>.dkim.amazonses.com`), and
 * verifiedForSending follows the identity. The MAIL FROM domain is verified by its MX to
 * `feedback-smtp.<region>.amazonses.com`. Once verified, an identity stays verified while its
 * CNAMEs cannot be read (DNS errors) and while they are missing for less than
 * {@link DKIM_LOSS_GRACE_MS}; past that it turns `failed` (SES revokes DKIM for records gone for
 * good), and verifies again when they come back. Unlike SES, a pending identity never times out
 * to `failed`: a local runtime may sit stopped for days before its records are published.
 *
 * Persistence: one JSON file in the data folder, written whole to a temporary file and renamed
 * into place, so a crash leaves the old or the new file, never half of one; in memory without a file.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { DnsLookupPort, SesIdentityPort, SesIdentityRequest, SesIdentityStatus, VerificationState } from '../core/domains/model.ts';

/** The file name in the data folder. */
export const SES_IDENTITIES_FILE = 'ses-identities.json';

/**
 * How long the DKIM CNAMEs of a verified identity may be missing before it turns `failed`. Why:
 * SES does not revoke on one failed lookup (a DNS host's hiccup or a zone being moved); it gives
 * the owner days to put the records back. 72 hours is the window SES itself uses for DKIM
 * detection, so the stand-in never revokes sooner than SES would.
 */
export const DKIM_LOSS_GRACE_MS = 72 * 60 * 60_000;

/** Easy DKIM gives three tokens per identity (three CNAMEs, for key rotation). */
const DKIM_TOKEN_COUNT = 3;
/** 20 random bytes make 32 base32 characters, the length of SES's tokens. */
const DKIM_TOKEN_BYTES = 20;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** One stored identity. */
interface StoredIdentity {
  readonly domain: string;
  readonly mailFromDomain: string;
  readonly configurationSetName?: string;
  readonly dkimTokens: readonly string[];
  readonly createdAt: string;
  /** Set when DKIM first verified; kept, so the CNAMEs coming back verify the identity again. */
  readonly verifiedAt?: string;
  /** Set while the CNAMEs of a verified identity are missing: when they were first found missing. */
  readonly missingSince?: string;
}

export interface LocalSesIdentitiesOptions {
  /** Reads the DKIM CNAMEs and the MAIL FROM MX: the runtime's DNS servers. */
  readonly lookup: DnsLookupPort;
  /** The region SES's MAIL FROM MX host names. */
  readonly region: string;
  /** The JSON file identities persist in. @default none: in memory (`dev --memory`) */
  readonly file?: string;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/** {@link SesIdentityPort} for the local runtime: identities in a JSON file, verification read from DNS. */
export class LocalSesIdentities implements SesIdentityPort {
  /** Serialises every change and its file write, so concurrent calls never lose one another's write. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly options: LocalSesIdentitiesOptions,
    private readonly identities: Map<string, StoredIdentity>,
  ) {}

  /**
   * Loads the identities from `options.file` (none yet when it does not exist). Rejects when the
   * file is not one this class wrote, rather than start empty and forget identities.
   */
  static async open(options: LocalSesIdentitiesOptions): Promise<LocalSesIdentities> {
    const identities = new Map<string, StoredIdentity>();
    if (options.file) {
      for (const identity of await readIdentities(options.file)) identities.set(identity.domain, identity);
    }
    return new LocalSesIdentities(options, identities);
  }

  /**
   * Creates the identity with new DKIM tokens (`created: true`) or adopts the existing one, keeping
   * its tokens and taking the requested MAIL FROM domain and configuration set; then reads its status.
   */
  async ensure(request: SesIdentityRequest): Promise<{ readonly status: SesIdentityStatus; readonly created: boolean }> {
    const domain = request.domain.toLowerCase();
    const created = await this.change(() => {
      const existing = this.identities.get(domain);
      const identity: StoredIdentity = {
        ...(existing ?? { domain, dkimTokens: newDkimTokens(), createdAt: this.now().toISOString() }),
        mailFromDomain: request.mailFromDomain.toLowerCase(),
        ...(request.configurationSetName !== undefined && { configurationSetName: request.configurationSetName }),
      };
      this.identities.set(domain, identity);
      return existing === undefined;
    });
    const status = await this.status(domain);
    if (!status) throw new Error(`local SES identity ${domain} vanished while it was being set up`);
    return { status, created };
  }

  /** The identity's status read from DNS now, or undefined when there is no identity for `domain`. */
  async status(domain: string): Promise<SesIdentityStatus | undefined> {
    const name = domain.toLowerCase();
    const before = this.identities.get(name);
    if (!before) return undefined;
    const [dkimFound, mailFrom] = await Promise.all([this.dkimFound(before), this.mailFromState(before)]);
    const identity = await this.change(() => {
      const current = this.identities.get(name);
      if (!current) return undefined;
      const next = afterDkimCheck(current, dkimFound, this.now());
      if (next !== current) this.identities.set(name, next);
      return next;
    });
    if (!identity) return undefined;
    const dkim = dkimState(identity, dkimFound, this.now());
    return {
      identity: dkim,
      dkim,
      mailFrom,
      dkimTokens: identity.dkimTokens,
      mailFromDomain: identity.mailFromDomain,
      verifiedForSending: dkim === 'verified',
    };
  }

  /** Deletes the identity; a no-op when it is gone. */
  async remove(domain: string): Promise<void> {
    await this.change(() => this.identities.delete(domain.toLowerCase()));
  }

  /** `found` when all three CNAMEs point at SES, `error` when any lookup failed, `none` otherwise. */
  private async dkimFound(identity: StoredIdentity): Promise<'found' | 'none' | 'error'> {
    const answers = await Promise.all(identity.dkimTokens.map((token) => this.options.lookup.lookup(`${token}._domainkey.${identity.domain}`, 'CNAME')));
    const right = answers.every((a, i) => a.kind === 'found' && a.values.includes(`${identity.dkimTokens[i]}.dkim.amazonses.com`));
    if (right) return 'found';
    return answers.some((a) => a.kind === 'error') ? 'error' : 'none';
  }

  /** The MAIL FROM domain is verified when one of its MX records is SES's feedback host, whatever its preference. */
  private async mailFromState(identity: StoredIdentity): Promise<VerificationState> {
    const answer = await this.options.lookup.lookup(identity.mailFromDomain, 'MX');
    if (answer.kind === 'error') return 'temporary-failure';
    const host = `feedback-smtp.${this.options.region}.amazonses.com`;
    return answer.kind === 'found' && answer.values.some((mx) => mx.split(' ')[1] === host) ? 'verified' : 'pending';
  }

  /** Runs `apply` after every earlier change and persists the map if it is file-backed. */
  private change<T>(apply: () => T): Promise<T> {
    const run = this.queue.then(async () => {
      const before = JSON.stringify([...this.identities.values()]);
      const result = apply();
      const after = JSON.stringify([...this.identities.values()]);
      if (this.options.file && after !== before) await writeAtomically(this.options.file, after);
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}

/** The identity after a DKIM lookup: first verification, CNAMEs lost (the grace starts), back, or gone for good. */
function afterDkimCheck(identity: StoredIdentity, found: 'found' | 'none' | 'error', now: Date): StoredIdentity {
  const { missingSince, ...rest } = identity;
  if (found === 'found') {
    if (identity.verifiedAt !== undefined && missingSince === undefined) return identity;
    return { ...rest, verifiedAt: identity.verifiedAt ?? now.toISOString() };
  }
  // A lookup error says nothing about the records: nothing changes.
  if (found === 'error' || identity.verifiedAt === undefined) return identity;
  if (missingSince === undefined) return { ...identity, missingSince: now.toISOString() };
  return identity;
}

/** DKIM's state: verified (within the grace too), failed once the grace has passed, else pending or temporary-failure. */
function dkimState(identity: StoredIdentity, found: 'found' | 'none' | 'error', now: Date): VerificationState {
  if (identity.verifiedAt !== undefined) {
    if (identity.missingSince === undefined) return 'verified';
    return Date.parse(identity.missingSince) + DKIM_LOSS_GRACE_MS > now.getTime() ? 'verified' : 'failed';
  }
  return found === 'error' ? 'temporary-failure' : 'pending';
}

/** Three tokens of 32 lower-case base32 characters, like SES's Easy DKIM tokens. */
function newDkimTokens(): string[] {
  return Array.from({ length: DKIM_TOKEN_COUNT }, () => base32(randomBytes(DKIM_TOKEN_BYTES)));
}

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}

async function readIdentities(file: string): Promise<StoredIdentity[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every(isStoredIdentity)) {
    throw new Error(`${file} is not a list of local SES identities; move it away to start without identities`);
  }
  return parsed;
}

function isStoredIdentity(value: unknown): value is StoredIdentity {
  const v = value as Partial<StoredIdentity> | null;
  return typeof v?.domain === 'string' && typeof v.mailFromDomain === 'string' && Array.isArray(v.dkimTokens) && v.dkimTokens.length === DKIM_TOKEN_COUNT;
}

/** Writes `text` to a temporary file beside `file` and renames it into place (atomic on one file system). */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}
