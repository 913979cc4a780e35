/**
 * The reset rule of SPEC OUT-5 (seed 004): "fix the credentials and save the integration again; if
 * nothing changed, toggle it off and on. This resets the state, and sends resume at once." The
 * registry calls {@link resetOnSmtpServerSave} after every SMTP server save (its onSmtpSaved hook).
 */
import type { OutboundNotifier, OutboxTransitions } from './outbound-ports.ts';
import { resetsSmtpIntegration, type SmtpServerSave } from './smtp-integration.ts';

export interface SmtpResetDeps {
  readonly integrations: { setValid(serverId: string): Promise<'error' | 'valid' | 'none'> };
  /** The held sends; without it (and `notifier`) a reset only sets the state. */
  readonly outbox?: Pick<OutboxTransitions, 'listHeld' | 'unhold'>;
  readonly notifier?: OutboundNotifier;
  readonly now: () => Date;
}

/** What a save did to its integration: whether the state was reset, and the held sends resumed. */
export interface SmtpResetOutcome {
  readonly reset: boolean;
  readonly resumed: readonly string[];
}

/**
 * After a save that {@link resetsSmtpIntegration}: state valid, every record the integration holds
 * released and notified at once (oldest first). Also when the state was valid already: a crash
 * between the reset and the notify left records held, and this save is the admin's way to retry.
 */
export async function resetOnSmtpServerSave(save: SmtpServerSave, deps: SmtpResetDeps): Promise<SmtpResetOutcome> {
  if (!resetsSmtpIntegration(save)) return { reset: false, resumed: [] };
  const serverId = save.saved.id;
  await deps.integrations.setValid(serverId);
  const { outbox, notifier } = deps;
  if (!outbox || !notifier) return { reset: true, resumed: [] };
  const held = await outbox.listHeld(serverId);
  if (outbox.unhold) for (const id of held) await outbox.unhold(id, deps.now());
  if (held.length > 0) await notifier.notify(held);
  return { reset: true, resumed: held };
}
