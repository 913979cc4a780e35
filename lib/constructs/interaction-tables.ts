/**
 * The DynamoDB tables of decision 6 and 7: interactions (with the ingest ledger), queues and config,
 * built from the key schema in contract/tables.ts so every environment has the same keys.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table, TableEncryption, type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { BY_BUCKET_INDEX, CONFIG_KEY, INTERACTIONS_KEY, QUEUES_KEY, TTL_ATTRIBUTE } from '../../contract/tables.ts';
import { seedDefaultQueue } from './default-queue-seed.ts';
import { TABLE_ROLES, tableEnvironment, type TableRole } from './table-environment.ts';

/**
 * Reads of {@link InteractionTables.grantRead}, on all three tables. Scan is for
 * listing queues, agents and configuration (queue-store, agent-store, config-store); nothing scans
 * the interactions table, which is read by key or through `byBucket`, but the grant covers it too.
 */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:Scan', 'dynamodb:ConditionCheckItem', 'dynamodb:DescribeTable'];

/**
 * What the API function does to each table, and nothing more (issue 12 item 1; from what
 * adapters/api-stores.ts and outbound-api-deps.ts call). Interactions: single-item reads and
 * conditional writes, batch reads (suppressions, thread index), queries of `byBucket` only (lists,
 * queue counts, outbox), deletes only of suppressions (DELETE /suppressions). Queues: listed by
 * Scan (tens of items), added, updated and removed. Config: routes, templates and agents listed by
 * filtered Scan, flow versions batch-read, items added, updated and removed. No BatchWriteItem, no
 * transactions, no Scan of the interactions table.
 */
export const API_TABLE_ACTIONS = {
  interactions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  interactionsIndex: ['dynamodb:Query'],
  queues: ['dynamodb:GetItem', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
  config: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Scan', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
} as const;

/**
 * What the constructs that use the tables need of them: the tables (for their names in a function's
 * environment) and grants by what they allow. Every grant goes to the grantee's identity policy;
 * those that cover the `byBucket` index name it, never `index/*`.
 */
export interface IInteractionTables {
  /** Interactions, the ingest ledger, dead letters and the expiring operational records (`pk`, GSI `byBucket`). */
  readonly interactions: ITable;
  /** One item per queue (`id`). */
  readonly queues: ITable;
  /** Address routes, flows, agents and templates (`pk`). */
  readonly config: ITable;
  /**
   * The environment entries naming the tables `roles` (INTERACTIONS_TABLE, QUEUES_TABLE,
   * CONFIG_TABLE), in the order given, for the function that is granted access to them.
   * @default all three: interactions, queues, config
   */
  environment(...roles: TableRole[]): Record<string, string>;
  /** Lets `grantee` do what the API does to each table ({@link API_TABLE_ACTIONS}), and nothing more. */
  grantApiAccess(grantee: IGrantable): Grant;
  /** Lets `grantee` read items of all three tables and query and scan them. */
  grantRead(grantee: IGrantable): Grant;
  /** Lets `grantee` read and put or update single items of the interactions table and query `byBucket`. */
  grantInteractionWrite(grantee: IGrantable): Grant;
  /** Lets `grantee` get and batch-get items of the queues and config tables. */
  grantConfigRead(grantee: IGrantable): Grant;
  /** Lets `grantee` scan the config table, where the served domains are stored (`DOMAIN#<name>` items). */
  grantServedDomainsRead(grantee: IGrantable): Grant;
  /** Lets `grantee` batch-get items of the interactions table (the ingest ledger's status). */
  grantIngestStatusRead(grantee: IGrantable): Grant;
  /** Lets `grantee` get and batch-get items of the interactions table, nothing else. */
  grantInteractionRead(grantee: IGrantable): Grant;
}

/** The seeded default queue, the tables' deletion protection and the seeding call's log retention. */
export interface InteractionTablesProps {
  /** The queue every routable message waits in; seeded once so the agent UI is never empty. */
  readonly defaultQueueId: string;
  /** The display name of the seeded default queue. @default 'Default queue' */
  readonly defaultQueueName?: string;
  /**
   * The `createdAt` written into the seeded queue item. Only the first deployment's value is ever
   * stored (the put is conditional).
   * @default DEFAULT_SEED_TIMESTAMP of default-queue-seed.ts (1970-01-01T00:00:00.000Z), never the synthesis time
   */
  readonly seedTimestamp?: Date;
  /** Retention of the SDK-call provider's log group (shared by the stack). @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
  /**
   * Whether CloudFormation refuses to delete the tables (on top of RETAIN).
   * @default true
   */
  readonly deletionProtection?: boolean;
}

/**
 * Three PAY_PER_REQUEST tables with point-in-time recovery, AWS-managed encryption, deletion
 * protection (configurable, default on) and RETAIN: the interactions table (`pk`, sparse GSI
 * `byBucket`, TTL on `expiresAt`), the queues table (`id`) and the config table (`pk`). A custom resource seeds the default queue with a
 * conditional put, so a redeploy never overwrites a queue an administrator has renamed.
 */
export class InteractionTables extends Construct implements IInteractionTables {
  /** Interactions, the ingest ledger, dead letters and the expiring operational records. */
  readonly interactions: ITable;
  /** One item per queue; the default queue is seeded. */
  readonly queues: ITable;
  /** Address routes, flows, agents and templates: small, rarely written, read on every routing decision. */
  readonly config: ITable;

  constructor(scope: Construct, id: string, props: InteractionTablesProps) {
    super(scope, id);
    const common = {
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy: RemovalPolicy.RETAIN,
    };
    const interactions = new Table(this, 'Interactions', {
      ...common,
      partitionKey: { name: INTERACTIONS_KEY.partitionKey, type: AttributeType.STRING },
      // Threading index entries, auto-acknowledgement limits and sent outbox records expire.
      timeToLiveAttribute: TTL_ATTRIBUTE,
    });
    interactions.addGlobalSecondaryIndex({
      indexName: BY_BUCKET_INDEX.name,
      partitionKey: { name: BY_BUCKET_INDEX.partitionKey, type: AttributeType.STRING },
      sortKey: { name: BY_BUCKET_INDEX.sortKey, type: AttributeType.NUMBER },
    });
    this.interactions = interactions;
    this.queues = new Table(this, 'Queues', {
      ...common,
      partitionKey: { name: QUEUES_KEY.partitionKey, type: AttributeType.STRING },
    });
    this.config = new Table(this, 'Config', {
      ...common,
      partitionKey: { name: CONFIG_KEY.partitionKey, type: AttributeType.STRING },
    });
    seedDefaultQueue(this, this.queues, props);
  }

  /**
   * The environment entries naming the tables `roles` (all three when none is given), in the
   * order given: see table-environment.ts.
   */
  environment(...roles: TableRole[]): Record<string, string> {
    const chosen = roles.length > 0 ? roles : TABLE_ROLES;
    return tableEnvironment(Object.fromEntries(chosen.map((role) => [role, this[role]])));
  }

  /**
   * Lets `grantee` do what the API function does ({@link API_TABLE_ACTIONS}): one statement per
   * table (and one for the `byBucket` index), so no table gets another's actions.
   * @returns the combined grant of the four statements
   */
  grantApiAccess(grantee: IGrantable): Grant {
    const a = API_TABLE_ACTIONS;
    return [
      Grant.addToPrincipal({ grantee, actions: [...a.interactions], resourceArns: [this.interactions.tableArn] }),
      Grant.addToPrincipal({ grantee, actions: [...a.interactionsIndex], resourceArns: [`${this.interactions.tableArn}/index/${BY_BUCKET_INDEX.name}`] }),
      Grant.addToPrincipal({ grantee, actions: [...a.queues], resourceArns: [this.queues.tableArn] }),
      Grant.addToPrincipal({ grantee, actions: [...a.config], resourceArns: [this.config.tableArn] }),
    ].reduce((all, grant) => all.combine(grant));
  }

  /**
   * Lets `grantee` read and conditionally put or update single items of the interactions table,
   * batch-read them (the thread index) and query the `byBucket` index; no Scan, no deletes, no
   * batch writes. With {@link grantConfigRead} this is all routing needs (least privilege).
   */
  grantInteractionWrite(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      resourceArns: [this.interactions.tableArn, `${this.interactions.tableArn}/index/${BY_BUCKET_INDEX.name}`],
    });
  }

  /**
   * Lets `grantee` get and batch-get items of the queues and config tables: the queues and the
   * administrators' rules (address routes, flows, agents, templates) that messages are routed by.
   * No Query, no Scan, no writes.
   */
  grantConfigRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({
      grantee,
      actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
      resourceArns: [this.queues.tableArn, this.config.tableArn],
    });
  }

  /**
   * Lets `grantee` scan the config table: the served domains are listed by a scan of the
   * `DOMAIN#` items (adapters/dynamodb/domain-store.ts), which no key condition can narrow.
   */
  grantServedDomainsRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:Scan'], resourceArns: [this.config.tableArn] });
  }

  /**
   * Lets `grantee` batch-read items of the interactions table, e.g. ingest ledger items (`M#`) to
   * see which stored messages are done (the reconciler). Nothing else: no writes, no other table.
   */
  grantIngestStatusRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:BatchGetItem'], resourceArns: [this.interactions.tableArn] });
  }

  /** Lets `grantee` get and batch-get items of the interactions table (an interaction, thread look-ups); no Query, Scan or writes. */
  grantInteractionRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'], resourceArns: [this.interactions.tableArn] });
  }

  /** Lets `grantee` read items of all three tables, scan them and query the `byBucket` index; no writes. */
  grantRead(grantee: IGrantable): Grant {
    return Grant.addToPrincipal({ grantee, actions: READ_ACTIONS, resourceArns: this.resourceArns() });
  }

  /** The tables and the one index by name: no `index/*` wildcard, so nothing to acknowledge. */
  private resourceArns(): string[] {
    return [
      this.interactions.tableArn,
      `${this.interactions.tableArn}/index/${BY_BUCKET_INDEX.name}`,
      this.queues.tableArn,
      this.config.tableArn,
    ];
  }
}
