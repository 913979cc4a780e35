/** Where large dead-letter bodies are kept in the mail bucket (claim check; the item keeps the key). */
export const DEAD_LETTER_PREFIX = 'dead-letters/';
