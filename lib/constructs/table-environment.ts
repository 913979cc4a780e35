/**
 * The environment entries that name Postroom's tables to a function: each variable of
 * contract/environment.ts paired with its table here, once, so no construct writes
 * `[ENV.configTable]: table.tableName` out again (STYLE habit 4).
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ENV } from '../../contract/environment.ts';

/** The three tables by what they hold, as IInteractionTables names them. */
export type TableRole = 'interactions' | 'queues' | 'config';

/** Every role, in the order a function that reads all three tables lists them. */
export const TABLE_ROLES: readonly TableRole[] = ['interactions', 'queues', 'config'];

/** The variable that carries each table's name (read by lambdas/adapters/env.ts). */
const TABLE_VARIABLES: Readonly<Record<TableRole, string>> = {
  interactions: ENV.interactionsTable,
  queues: ENV.queuesTable,
  config: ENV.configTable,
};

/**
 * The environment entries naming `tables` (INTERACTIONS_TABLE, QUEUES_TABLE, CONFIG_TABLE), in the
 * order given; for a construct that receives single tables rather than IInteractionTables.
 * @returns one entry per table given, none for an empty object
 */
export function tableEnvironment(tables: Readonly<Partial<Record<TableRole, ITable>>>): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const [role, table] of Object.entries(tables) as [TableRole, ITable | undefined][]) {
    if (table !== undefined) entries[TABLE_VARIABLES[role]] = table.tableName;
  }
  return entries;
}
