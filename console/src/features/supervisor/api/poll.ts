/**
 * How live the supervisor view is. Why 10 s: a queue's waiting count and oldest wait change on the
 * scale of minutes (score = minutes waited + priority), so 10 s keeps the view current without a
 * supervisor's open tab costing the API more than a few reads a minute per queue.
 */
export const SUPERVISOR_POLL_MS = 10_000;

/** Waiting interactions read per queue for its live row: enough to pick from, one page of the API. */
export const QUEUE_HEAD_SIZE = 50;
