/** The queues page's English text: the type every other language copies key for key. */
export const en = {
  title: 'Queues',
  caption: 'Queues with their waiting interactions',
  empty: 'No queues yet.',
  id: 'Id',
  idHint: 'Lower-case letters a-z, digits and “-”, up to {max} characters; not starting or ending with “-”.',
  name: 'Name',
  description: 'Description',
  waiting: 'Waiting',
  actions: 'Actions',
  remove: 'Remove',
  confirmRemove: 'Remove queue {id}? Only an empty queue no agent or address uses can be removed.',
  removed: 'Queue {id} removed.',
  addTitle: 'New queue',
  add: 'Add queue',
  saved: 'Queue {id} added.',
  limit: 'up to {max} characters',
} as const;

/** The queues page's text keys. */
export type QueueKey = keyof typeof en;
