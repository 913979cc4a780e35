/**
 * In-memory {@link MailServerStore} and {@link SecretStore} for the OAuth2 tests, which need the
 * ports' behaviour (health written apart from settings, secrets read back) but no DynamoDB. The
 * secret store records every value written, so a test can check that no other server's was touched.
 */
import type { MailServer, MailServerHealth, MailServerStore, SecretStore } from '../../lambdas/core/mailboxes/server.ts';

export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  /** Every `put` and `delete`, by ref, in order. */
  readonly writes: string[] = [];
  async put(ref: string, value: string): Promise<void> {
    this.writes.push(ref);
    this.values.set(ref, value);
  }
  async get(ref: string): Promise<string | undefined> {
    return this.values.get(ref);
  }
  async delete(ref: string): Promise<void> {
    this.writes.push(ref);
    this.values.delete(ref);
  }
}

const HEALTH_KEYS = ['state', 'lastSuccessAt', 'lastError', 'lastErrorReason', 'lastPollAt', 'consecutiveFailures', 'nextPollAt', 'messagesFetched', 'backlog', 'lastFetchAt'] as const;

export class MemoryMailServerStore implements MailServerStore {
  readonly servers = new Map<string, MailServer>();
  async get(id: string) {
    return this.servers.get(id);
  }
  async list() {
    return [...this.servers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }
  async create(server: MailServer) {
    if (this.servers.has(server.id)) return 'exists' as const;
    this.servers.set(server.id, server);
    return 'created' as const;
  }
  async update(server: MailServer, expectedUpdatedAt: string) {
    const current = this.servers.get(server.id);
    if (!current) return 'missing' as const;
    if (current.updatedAt !== expectedUpdatedAt) return 'conflict' as const;
    this.servers.set(server.id, server);
    return 'updated' as const;
  }
  /** As DynamoMailServerStore: writes the health fields given; one given as undefined is removed. */
  async setHealth(id: string, health: MailServerHealth) {
    const current = this.servers.get(id);
    if (!current) return 'missing' as const;
    const next: Record<string, unknown> = { ...current };
    for (const key of HEALTH_KEYS) {
      if (!(key in health)) continue;
      const value = (health as unknown as Record<string, unknown>)[key];
      if (value === undefined) delete next[key];
      else next[key] = value;
    }
    this.servers.set(id, next as unknown as MailServer);
    return 'updated' as const;
  }
  async delete(id: string) {
    return this.servers.delete(id);
  }
}
