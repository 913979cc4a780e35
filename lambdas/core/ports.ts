/**
 * The interfaces core needs from the outside world. Adapters implement them (decision 1); core
 * never imports an SDK. Each method is one state change or one read.
 */
import type { Interaction, QueueEntry } from './interaction.ts';
import type { BlobRef, ParsedMail } from './message.ts';
import type { Queue } from './agents/model.ts';

/** Turns a stored raw message into {@link ParsedMail}, streaming attachments to storage. */
export interface MessageParser {
  /**
   * @param raw the stored raw .eml
   * @param partsPrefix where decoded bodies and attachments of this message are written
   * @throws QuarantineError when the message is over a limit or not MIME at all
   * @throws TransientError when storage is unavailable
   */
  parse(raw: BlobRef, partsPrefix: string): Promise<ParsedMail>;
}

export type IngestBegin = 'new' | 'resumed' | 'done';

/**
 * The ingest ledger: one record per transport identity (decision 4), written with a conditional
 * put so that at-least-once delivery upstream yields exactly one interaction.
 */
export interface IngestLedger {
  /** Records that ingest of `key` started; says whether it is new, unfinished, or already done. */
  begin(key: string, interactionId: string, at: Date): Promise<IngestBegin>;
  /** Marks `key` as done; only then does a redelivery count as a duplicate. */
  complete(key: string, at: Date): Promise<void>;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly cursor?: string;
}

export interface InteractionStore {
  /** Conditional put: `exists` when an interaction with this id is already stored. */
  create(interaction: Interaction): Promise<'created' | 'exists'>;
  get(id: string): Promise<Interaction | undefined>;
  /** Waiting interactions of one queue in score order (highest score first). */
  listWaiting(queueId: string, limit: number, cursor?: string): Promise<Page<QueueEntry>>;
  /** Quarantined interactions, newest first. */
  listQuarantined(limit: number, cursor?: string): Promise<Page<Interaction>>;
  /** Disconnected and set-aside interactions (spam, virus, automatic mail), newest first. */
  listDisposed(limit: number, cursor?: string): Promise<Page<Interaction>>;
}

export interface QueueStore {
  list(): Promise<readonly Queue[]>;
  get(id: string): Promise<Queue | undefined>;
  /** Creates the queue if it does not exist; leaves an existing one as it is. */
  ensure(queue: Queue): Promise<void>;
  /** Number of interactions waiting in the queue. */
  countWaiting(id: string): Promise<number>;
}
