/**
 * Redrive: a dead letter's original body goes back to the inbound queue once its cause is fixed.
 *
 * Order of the steps, chosen so that a crash between any two of them loses nothing:
 * 1. read the dead letter; only a `dead` one is redriven;
 * 2. remove `deadLetteredAt` from its ledger item (the reconciler may now pick it up again);
 * 3. send the original body to the inbound queue;
 * 4. mark it `redriven` with a conditional write (`dead` -> `redriven`).
 * A crash after 2 or 3 leaves it `dead`: it is still listed and can be redriven again. Sending the
 * same body twice is harmless, because ingest is exactly-once per transport key (decision 4): the
 * second delivery finds the ledger `done` and ends as a duplicate. Marking it `redriven` first
 * would lose it instead: a crash before the send would leave a `redriven` dead letter whose
 * message was never sent.
 */
import { ERROR_REASONS } from './error-reasons.ts';
import { ConflictError, NotFoundError, PostroomError } from './errors.ts';
import type { DeadLetter, DeadLetterBodies, DeadLetterLedger, DeadLetterStore, InboundRequeue } from './dead-letters.ts';

export interface RedriveDeps {
  readonly store: DeadLetterStore;
  readonly ledger: DeadLetterLedger;
  readonly bodies: DeadLetterBodies;
  readonly requeue: InboundRequeue;
  readonly now: () => Date;
}

/** Dead letters redriven per `POST /dead-letters/redrive`: each is four calls, and the API Lambda has 10 s. */
export const REDRIVE_BATCH = { default: 25, max: 50 } as const;

/**
 * Redrives one dead letter (see the module comment for the order).
 * @throws NotFoundError when there is no such dead letter
 * @throws ConflictError (field `state`) when it was already redriven
 */
export async function redriveDeadLetter(id: string, deps: RedriveDeps): Promise<DeadLetter> {
  const deadLetter = await deps.store.get(id);
  if (!deadLetter) throw new NotFoundError(ERROR_REASONS.deadLetterNotFound, 'dead letter', id);
  if (deadLetter.state !== 'dead') {
    throw new ConflictError(ERROR_REASONS.deadLetterAlreadyRedriven, `dead letter ${id} was already redriven at ${deadLetter.redrivenAt ?? 'an unknown time'}`, {
      state: 'is redriven, not dead',
    });
  }
  const body = deadLetter.body ?? (await deps.bodies.get(deadLetter.bodyObject ?? ''));
  const key = deadLetter.transportKey;
  if (key !== undefined) await deps.ledger.clearDeadLettered(key);
  try {
    await deps.requeue.send(body);
  } catch (err) {
    // Best effort: the message is still a dead letter, so the reconciler should keep skipping it.
    if (key !== undefined) await deps.ledger.markDeadLettered(key, new Date(deadLetter.deadLetteredAt)).catch(() => undefined);
    throw err;
  }
  // undefined: a concurrent redrive marked it first; its body went out twice, which ingest absorbs.
  return (await deps.store.markRedriven(id, deps.now())) ?? (await deps.store.get(id)) ?? deadLetter;
}

/** What one bounded "redrive all" call did. */
export interface RedriveAllResult {
  readonly redriven: readonly string[];
  /** Dead letters that could not be redriven now, with the error code; they stay `dead`. */
  readonly failed: readonly { readonly id: string; readonly code: string }[];
  /** Present when more `dead` ones may remain past the ones this call looked at. */
  readonly cursor?: string;
}

/**
 * Redrives up to `limit` `dead` dead letters, newest first, one at a time. One failure does not
 * stop the others; it is reported with its code. Pass the returned cursor to continue.
 */
export async function redriveAll(limit: number, cursor: string | undefined, deps: RedriveDeps): Promise<RedriveAllResult> {
  const page = await deps.store.list('dead', limit, cursor);
  const redriven: string[] = [];
  const failed: { id: string; code: string }[] = [];
  for (const deadLetter of page.items) {
    try {
      await redriveDeadLetter(deadLetter.id, deps);
      redriven.push(deadLetter.id);
    } catch (err) {
      if (err instanceof ConflictError) continue; // redriven meanwhile by someone else
      if (!(err instanceof PostroomError)) throw err; // a defect, not a state of the world: report it
      failed.push({ id: deadLetter.id, code: err.code });
    }
  }
  return { redriven, failed, ...(page.cursor !== undefined && { cursor: page.cursor }) };
}
