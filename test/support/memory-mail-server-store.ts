/**
 * An in-memory MailServerStore for tests of the scheduling and health code, with the DynamoDB
 * store's semantics where they matter: `setHealth` writes the health fields it is given (one given
 * as undefined is removed, one not given is left as it is) and answers `missing` for a deleted
 * server. Records every health write, in order.
 */
import type { MailServer, MailServerHealth, MailServerStore } from '../../lambdas/core/mailboxes/server.ts';

/** The store, its records, and the health writes it received. */
export class MemoryMailServerStore implements MailServerStore {
  readonly servers = new Map<string, MailServer>();
  readonly healthWrites: Array<{ id: string; health: MailServerHealth }> = [];

  constructor(servers: readonly MailServer[] = []) {
    for (const s of servers) this.servers.set(s.id, s);
  }

  async get(id: string): Promise<MailServer | undefined> {
    return this.servers.get(id);
  }

  async list(): Promise<MailServer[]> {
    return [...this.servers.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  async create(server: MailServer): Promise<'created' | 'exists'> {
    if (this.servers.has(server.id)) return 'exists';
    this.servers.set(server.id, server);
    return 'created';
  }

  async update(server: MailServer, expectedUpdatedAt: string): Promise<'updated' | 'missing' | 'conflict'> {
    const current = this.servers.get(server.id);
    if (!current) return 'missing';
    if (current.updatedAt !== expectedUpdatedAt) return 'conflict';
    this.servers.set(server.id, server);
    return 'updated';
  }

  async setHealth(id: string, health: MailServerHealth): Promise<'updated' | 'missing'> {
    const current = this.servers.get(id);
    if (!current) return 'missing';
    this.healthWrites.push({ id, health });
    const next: Record<string, unknown> = { ...current };
    for (const [field, value] of Object.entries(health)) {
      if (value === undefined) delete next[field];
      else next[field] = value;
    }
    this.servers.set(id, next as unknown as MailServer);
    return 'updated';
  }

  async delete(id: string): Promise<boolean> {
    return this.servers.delete(id);
  }
}
