/** Die Texte der Seite Warteschlangen auf Deutsch (jeder Schlüssel von en.ts). */
import type { Dictionary } from '../../../lib/i18n/types.ts';
import type { QueueKey } from './en.ts';

export const de: Dictionary<QueueKey> = {
  title: 'Warteschlangen',
  caption: 'Warteschlangen mit ihren wartenden Interaktionen',
  empty: 'Noch keine Warteschlangen.',
  id: 'ID',
  idHint: 'Kleinbuchstaben a-z, Ziffern und „-“, bis zu {max} Zeichen; nicht mit „-“ am Anfang oder Ende.',
  name: 'Name',
  description: 'Beschreibung',
  waiting: 'Wartend',
  actions: 'Aktionen',
  remove: 'Entfernen',
  confirmRemove: 'Warteschlange {id} entfernen? Nur eine leere Warteschlange, die kein Agent und keine Adresse nutzt, kann entfernt werden.',
  removed: 'Warteschlange {id} entfernt.',
  addTitle: 'Neue Warteschlange',
  add: 'Warteschlange hinzufügen',
  saved: 'Warteschlange {id} hinzugefügt.',
  limit: 'bis zu {max} Zeichen',
};
