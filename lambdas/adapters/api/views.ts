/**
 * The JSON shapes the API returns. Scores and ages are computed here, at read time, from the
 * stored enqueue time (decision 6): nothing stored is ever rescored.
 */
import type { Interaction, QueueEntry } from '../../core/interaction.ts';
import { minutesWaited, score } from '../../core/score.ts';
import { customerReplied } from '../../core/agents/customer-replied.ts';
import type { Queue } from '../../core/agents/model.ts';

/** A queue with its waiting count, as `GET /queues` lists it. */
export function queueView(queue: Queue, waiting: number) {
  return {
    id: queue.id,
    name: queue.name,
    ...(queue.description !== undefined && { description: queue.description }),
    createdAt: queue.createdAt,
    waiting,
  };
}

/** One waiting interaction with its live score; `ageMinutes` is whole minutes waited. */
export function queueEntryView(entry: QueueEntry, now: Date) {
  const enqueuedAt = new Date(entry.enqueuedAt);
  return {
    id: entry.id,
    ...(entry.from !== undefined && { from: entry.from }),
    subject: entry.subject,
    enqueuedAt: entry.enqueuedAt,
    ageMinutes: Math.floor(minutesWaited(enqueuedAt, now)),
    priority: entry.priority,
    score: score(enqueuedAt, entry.priority, now),
  };
}

/**
 * The whole interaction; a waiting one also carries its live score and age, a claimed one
 * `customerReplied` (core's signal, so every browser and supervisor sees the same).
 */
export function interactionView(interaction: Interaction, now: Date) {
  if (interaction.state === 'claimed') return { ...interaction, customerReplied: customerReplied(interaction) };
  if (interaction.state !== 'waiting' || interaction.enqueuedAt === undefined) return { ...interaction };
  const enqueuedAt = new Date(interaction.enqueuedAt);
  return {
    ...interaction,
    score: score(enqueuedAt, interaction.priority, now),
    ageMinutes: Math.floor(minutesWaited(enqueuedAt, now)),
  };
}

/** One disconnected or set-aside interaction: who sent what, when, and the disposition. */
export function disposedView(interaction: Interaction) {
  const m = interaction.message;
  return {
    id: interaction.id,
    state: interaction.state,
    ...(m.from !== undefined && { from: m.from }),
    mailFrom: m.mailFrom,
    recipients: m.recipients,
    subject: m.subject,
    receivedAt: m.receivedAt,
    disposition: interaction.disposition ?? { reason: 'unknown', detail: '' },
  };
}

/** One quarantined interaction: who sent what, when, and why it was set aside. */
export function quarantineView(interaction: Interaction) {
  const m = interaction.message;
  return {
    id: interaction.id,
    ...(m.from !== undefined && { from: m.from }),
    mailFrom: m.mailFrom,
    recipients: m.recipients,
    subject: m.subject,
    receivedAt: m.receivedAt,
    quarantine: interaction.quarantine ?? { reason: 'unknown', detail: '' },
  };
}
