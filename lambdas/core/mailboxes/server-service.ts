/**
 * The mail server registry (issue 10 items 1 and 2; SRV-1..SRV-10) for the API and the CLI: add,
 * update, duplicate, delete, test and show servers. Ports are injected; no I/O here.
 *
 * Enable = test (SRV-6, seed step 10): saving an enabled server first tests its connection with the
 * candidate settings. A failure stores nothing and answers the failure ({@link ConnectionTestFailedError}),
 * unless the admin asked to save it inactive. Secrets go only to the {@link SecretStore} under
 * `mailServerSecretRef(id)` (SRV-10): never into the record, an answer or an error. The test of a
 * save is server-connection-test.ts.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, NotFoundError } from '../errors.ts';
import { ERROR_REASONS as R } from '../error-reasons.ts';
import type { AddressRouteStore, FlowStore } from '../routing/config-ports.ts';
import type { ConnectionTestResult } from './connection.ts';
import { parseMailServerSecret } from './oauth2-settings.ts';
import { runConnectionTest, testedForSave, withHealth, type ConnectionFailurePolicy, type ConnectionTestDeps } from './server-connection-test.ts';
import { healthAfterSave, healthAfterTest, patchedInput, secretWithPassword, statusOf, type MailServerPatch, type MailServerStatus } from './server-save.ts';
import { assertValidMailServer, normalizeMailServer, type MailServerInput } from './server-rules.ts';
import { assertSmtpServerRoom, type SmtpServerSave } from '../outbound/smtp-integration.ts';
import { duplicateMailServer, isInboundType, mailServerSecretRef, newMailServer, type MailServer, type MailServerHealth, type MailServerStore, type SecretStore } from './server.ts';

export type { MailServerPatch, MailServerStatus } from './server-save.ts';
export { ConnectionTestFailedError, ConnectionTestUnavailableError, type ConnectionFailurePolicy } from './server-connection-test.ts';

/** What the registry works through. */
export interface MailServerServiceDeps extends ConnectionTestDeps {
  readonly store: MailServerStore;
  readonly secrets: SecretStore;
  /** Address routes: an inbound server may route by one whose routing is a queue or a flow. */
  readonly addresses: Pick<AddressRouteStore, 'list'>;
  readonly flows: Pick<FlowStore, 'list'>;
  /**
   * "Re-authenticate on save" (seed step 7; adapters/oauth2 `reauthenticate`): drops the server's
   * refresh token, sets needs-reauth and answers a consent URL. Without it the setting does nothing.
   */
  readonly onReauthenticate?: (server: MailServer) => Promise<{ readonly url: string; readonly expiresAt: string }>;
  /** Runs after an enabled inbound server is stored (an immediate poll); its failure is only logged. */
  readonly onSaved?: (server: MailServer) => Promise<void>;
  /**
   * Runs after an SMTP server is stored (the reset rule of SPEC OUT-5: changed credentials or
   * toggled on resets its integration and resumes held sends); its failure is only logged.
   */
  readonly onSmtpSaved?: (save: SmtpServerSave) => Promise<void>;
  readonly log?: (message: string, details: Record<string, unknown>) => void;
  /** @default randomUUID */
  readonly newId?: () => string;
}

export interface SaveOptions {
  /** @default 'refuse' */
  readonly onConnectionFailure?: ConnectionFailurePolicy;
}

/** A stored server and, when it was saved enabled, its connection test. */
export interface SavedMailServer {
  readonly server: MailServer;
  readonly test?: ConnectionTestResult;
  /** With OAuth2 `reauthenticateOnSave`: the consent URL the admin must open now. */
  readonly consent?: { readonly url: string; readonly expiresAt: string };
}

export class MailServerService {
  constructor(private readonly deps: MailServerServiceDeps) {}

  /**
   * Validates, tests when enabled, stores the secret, then the record.
   * @throws ValidationError per field; ConnectionTestFailedError; ConnectionTestUnavailableError
   */
  async add(input: MailServerInput, options: SaveOptions = {}): Promise<SavedMailServer> {
    const id = (this.deps.newId ?? randomUUID)();
    const normalized = normalizeMailServer(input);
    assertValidMailServer(normalized, await this.context(id, false, normalized.settings.type));
    const now = this.deps.now().toISOString();
    const ref = normalized.password !== undefined ? mailServerSecretRef(id) : undefined;
    const candidate = newMailServer(normalized.settings, id, now, ref);
    const { record, test } = await testedForSave(this.deps, candidate, normalized.password, options.onConnectionFailure);
    if (ref !== undefined) await this.deps.secrets.put(ref, secretWithPassword(undefined, normalized.password!));
    const created = await this.deps.store.create(record).catch(async (err: unknown) => {
      if (ref !== undefined) await this.deps.secrets.delete(ref);
      throw err;
    });
    if (created === 'exists') throw new ConflictError(R.mailServerChanged, `mail server ${id} exists already`);
    await this.afterSave(record, { credentialsChanged: normalized.password !== undefined });
    const consent = await this.reauthenticate(record);
    return { server: consent ? ((await this.deps.store.get(id)) ?? record) : record, ...(test && { test }), ...(consent && { consent }) };
  }

  /**
   * Applies `patch` to the stored server (see {@link MailServerPatch}), tests when enabled, merges a
   * new password into the secret, then replaces the record if nobody changed it meanwhile.
   * @throws NotFoundError; ValidationError; ConflictError `mail-server.changed`; the test errors of {@link add}
   */
  async update(id: string, patch: MailServerPatch, options: SaveOptions = {}): Promise<SavedMailServer> {
    const stored = await this.get(id);
    const storedSecret = stored.secretRef === undefined ? undefined : await this.deps.secrets.get(stored.secretRef);
    const normalized = normalizeMailServer({ ...patchedInput(stored, patch), password: patch.password ?? undefined });
    assertValidMailServer(normalized, await this.context(id, parseMailServerSecret(storedSecret).password !== undefined, normalized.settings.type));
    const now = this.deps.now().toISOString();
    const ref = normalized.password !== undefined ? mailServerSecretRef(id) : stored.secretRef;
    // Built afresh from the settings, so an optional setting the patch cleared does not survive from `stored`.
    const candidate: MailServer = { ...newMailServer(normalized.settings, id, now, ref), state: stored.state, createdAt: stored.createdAt };
    const { record, test } = await testedForSave(this.deps, candidate, normalized.password, options.onConnectionFailure);
    if (normalized.password !== undefined) await this.deps.secrets.put(ref!, secretWithPassword(storedSecret, normalized.password));
    const outcome = await this.deps.store.update(record, stored.updatedAt);
    if (outcome === 'missing') throw new NotFoundError(R.mailServerNotFound, 'mail server', id);
    if (outcome === 'conflict') throw new ConflictError(R.mailServerChanged, `mail server ${id} changed meanwhile; read it again and retry`);
    const health = healthAfterSave(record.enabled, test, now);
    await this.deps.store.setHealth(id, health);
    // Read back: the answer shows the poll counters the update left alone.
    const saved = (await this.deps.store.get(id)) ?? withHealth(record, health);
    await this.afterSave(saved, { previous: stored, credentialsChanged: normalized.password !== undefined });
    const consent = await this.reauthenticate(saved);
    return { server: consent ? ((await this.deps.store.get(id)) ?? saved) : saved, ...(test && { test }), ...(consent && { consent }) };
  }

  /**
   * A copy of server `id` under `newName`: disabled, an agent server, without its secret.
   * @throws NotFoundError; ValidationError (the name)
   */
  async duplicate(id: string, newName: string): Promise<MailServer> {
    const settings = duplicateMailServer(await this.get(id), newName);
    const { server } = await this.add(settings);
    return server;
  }

  /** Deletes server `id` and its secret (the secret first: a crash leaves no password behind). @throws NotFoundError */
  async delete(id: string): Promise<void> {
    const stored = await this.get(id);
    await this.deps.secrets.delete(stored.secretRef ?? mailServerSecretRef(id));
    if (!(await this.deps.store.delete(id))) throw new NotFoundError(R.mailServerNotFound, 'mail server', id);
  }

  /** @throws NotFoundError */
  async get(id: string): Promise<MailServer> {
    const server = await this.deps.store.get(id);
    if (!server) throw new NotFoundError(R.mailServerNotFound, 'mail server', id);
    return server;
  }

  list(): Promise<MailServer[]> {
    return this.deps.store.list();
  }

  /** Every server's health (SRV-9). */
  async status(): Promise<MailServerStatus[]> {
    const now = this.deps.now();
    return (await this.deps.store.list()).map((s) => statusOf(s, now));
  }

  /**
   * Tests stored server `id` without changing its settings, and records the outcome as its health.
   * @throws NotFoundError; ConnectionTestUnavailableError
   */
  async test(id: string): Promise<{ server: MailServer; result: ConnectionTestResult }> {
    const server = await this.get(id);
    const result = await runConnectionTest(this.deps, server, undefined);
    const health = healthAfterTest(server, result, this.deps.now().toISOString());
    await this.deps.store.setHealth(id, health);
    return { server: withHealth(server, health), result };
  }

  /** The {@link MailServerContext} of a save: routes that route inbound mail, flows, the template server. */
  private async context(serverId: string, storedSecret: boolean, type: MailServer['type']) {
    const [routes, flows, servers] = await Promise.all([this.deps.addresses.list(), this.deps.flows.list(), this.deps.store.list()]);
    assertSmtpServerRoom(type, serverId, servers);
    const template = servers.find((s) => s.role === 'template' && s.id !== serverId);
    return {
      serverId,
      ...(template && { templateServerId: template.id }),
      addresses: new Set(routes.filter((r) => r.routing.kind !== 'none').map((r) => r.address)),
      flows: new Set(flows.map((f) => f.id)),
      storedSecret,
    };
  }

  /** Seed step 7: a server saved with `reauthenticateOnSave` (authorization-code) gets a new consent. */
  private async reauthenticate(server: MailServer) {
    const o = server.oauth2;
    if (server.authType !== 'oauth2' || !o?.reauthenticateOnSave || o.flow !== 'authorization-code' || !this.deps.onReauthenticate) return undefined;
    return this.deps.onReauthenticate(server);
  }

  /**
   * The hooks after a save: an enabled inbound server's immediate poll, an SMTP server's integration
   * reset. Their failure is only logged: the server is stored and polled on schedule, and an admin
   * can save an SMTP server again (or toggle it) to reset its integration.
   */
  private async afterSave(server: MailServer, change: Omit<SmtpServerSave, 'saved'>): Promise<void> {
    const { onSaved, onSmtpSaved } = this.deps;
    const hook = server.type === 'smtp' ? onSmtpSaved && (() => onSmtpSaved({ ...change, saved: server })) : server.enabled && isInboundType(server.type) && onSaved && (() => onSaved(server));
    if (!hook) return;
    await hook().catch((err: unknown) => (this.deps.log ?? (() => undefined))(`mail server saved, ${server.type === 'smtp' ? 'integration reset' : 'immediate poll'} failed`, { serverId: server.id, error: (err as Error).message }));
  }
}
