/**
 * In-memory stand-ins for the mail server registry's ports, keeping the promises of the DynamoDB
 * store (mail-server-store.ts): settings and health apart (an update never writes health), a
 * conditional create and update, and at most one template server. Also a scripted connection
 * tester and credential source that record what they were asked.
 */
import { ValidationError } from '../../lambdas/core/errors.ts';
import type { ConnectionTestResult, ConnectionTester, CredentialSource, MailCredentials } from '../../lambdas/core/mailboxes/connection.ts';
import { MailConnectionError } from '../../lambdas/core/mailboxes/connection.ts';
import { parseMailServerSecret } from '../../lambdas/core/mailboxes/oauth2-settings.ts';
import type { MailServer, MailServerHealth, MailServerStore, SecretStore } from '../../lambdas/core/mailboxes/server.ts';

const HEALTH = ['state', 'lastSuccessAt', 'lastError', 'lastErrorReason', 'lastPollAt', 'consecutiveFailures', 'nextPollAt', 'messagesFetched', 'backlog', 'lastFetchAt'] as const;

function split(server: MailServer): { settings: Record<string, unknown>; health: Record<string, unknown> } {
  const settings: Record<string, unknown> = structuredClone(server) as unknown as Record<string, unknown>;
  const health: Record<string, unknown> = {};
  for (const f of HEALTH) {
    if (settings[f] !== undefined) health[f] = settings[f];
    delete settings[f];
  }
  return { settings, health };
}

export class MemoryMailServerStore implements MailServerStore {
  readonly items = new Map<string, { settings: Record<string, unknown>; health: Record<string, unknown> }>();

  async get(id: string): Promise<MailServer | undefined> {
    const item = this.items.get(id);
    return item ? (structuredClone({ ...item.settings, ...item.health }) as unknown as MailServer) : undefined;
  }
  async list(): Promise<MailServer[]> {
    const all = await Promise.all([...this.items.keys()].map((id) => this.get(id)));
    return (all as MailServer[]).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  async create(server: MailServer): Promise<'created' | 'exists'> {
    if (this.items.has(server.id)) return 'exists';
    this.guardTemplate(server);
    this.items.set(server.id, split(server));
    return 'created';
  }
  async update(server: MailServer, expectedUpdatedAt: string): Promise<'updated' | 'missing' | 'conflict'> {
    const item = this.items.get(server.id);
    if (!item) return 'missing';
    if (item.settings.updatedAt !== expectedUpdatedAt) return 'conflict';
    this.guardTemplate(server);
    item.settings = split(server).settings;
    return 'updated';
  }
  async setHealth(id: string, health: MailServerHealth): Promise<'updated' | 'missing'> {
    const item = this.items.get(id);
    if (!item) return 'missing';
    for (const [k, v] of Object.entries(health)) {
      if (v === undefined) delete item.health[k];
      else item.health[k] = v;
    }
    return 'updated';
  }
  async delete(id: string): Promise<boolean> {
    return this.items.delete(id);
  }

  /** Synchronous, so two concurrent saves cannot both pass it (as the guard item's conditional put). */
  private guardTemplate(server: MailServer): void {
    if (server.role !== 'template') return;
    const holder = [...this.items.entries()].find(([id, item]) => id !== server.id && item.settings.role === 'template');
    if (holder) throw new ValidationError({ role: `server ${holder[0]} is the template server already` }, {}, { role: 'mail-server.template-taken' });
  }
}

export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  async put(ref: string, value: string): Promise<void> {
    this.values.set(ref, value);
  }
  async get(ref: string): Promise<string | undefined> {
    return this.values.get(ref);
  }
  async delete(ref: string): Promise<void> {
    this.values.delete(ref);
  }
}

/** Answers `next` (ok by default) and records every test it ran. */
export class ScriptedTester implements ConnectionTester {
  next: ConnectionTestResult = { ok: true, message: 'connection successful: 3 messages in INBOX', backlog: 3 };
  readonly calls: { server: MailServer; credentials: MailCredentials; backfillDays?: number }[] = [];
  async test(server: MailServer, credentials: MailCredentials, options?: { readonly backfillDays?: number }): Promise<ConnectionTestResult> {
    this.calls.push({ server, credentials, ...(options?.backfillDays !== undefined && { backfillDays: options.backfillDays }) });
    return this.next;
  }
}

/** The password of the server's stored secret; `failWith` makes it throw that connection error instead. */
export class SecretCredentials implements CredentialSource {
  failWith: MailConnectionError | undefined;
  constructor(private readonly secrets: SecretStore) {}
  async credentialsFor(server: MailServer): Promise<MailCredentials> {
    if (this.failWith) throw this.failWith;
    const secret = parseMailServerSecret(server.secretRef ? await this.secrets.get(server.secretRef) : undefined);
    if (secret.password === undefined) throw new MailConnectionError('no-secret', 'no password is stored for this server');
    return { kind: 'password', user: server.user, password: secret.password };
  }
}
