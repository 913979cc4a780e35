/** キュー画面の日本語テキスト（en.ts のすべてのキー）。 */
import type { Dictionary } from '../../../lib/i18n/types.ts';
import type { QueueKey } from './en.ts';

export const ja: Dictionary<QueueKey> = {
  title: 'キュー',
  caption: 'キューと待機中のインタラクション',
  empty: 'キューはまだありません。',
  id: 'ID',
  idHint: '英小文字 a-z、数字、「-」で {max} 文字まで。先頭と末尾に「-」は使えません。',
  name: '名前',
  description: '説明',
  waiting: '待機中',
  actions: '操作',
  remove: '削除',
  confirmRemove: 'キュー {id} を削除しますか？削除できるのは、空で、どのエージェントやアドレスにも使われていないキューだけです。',
  removed: 'キュー {id} を削除しました。',
  addTitle: '新しいキュー',
  add: 'キューを追加',
  saved: 'キュー {id} を追加しました。',
  limit: '{max} 文字まで',
};
