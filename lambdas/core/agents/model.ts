/**
 * The ACD's own entities: a queue that interactions wait in and an agent who takes work from
 * queues by skills and languages. Interactions (core/interaction.ts) name queues by id only.
 */

/** A queue agents take interactions from, ordered by score (score.ts). */
export interface Queue {
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly createdAt: string;
}

/** An agent: who may take which interactions (eligibility.ts) from which queues. */
export interface Agent {
  readonly id: string;
  readonly name: string;
  readonly skills: readonly string[];
  /** ISO 639-1 codes. */
  readonly languages: readonly string[];
  /** The queues the agent takes work from. */
  readonly queues: readonly string[];
  readonly createdAt: string;
}
