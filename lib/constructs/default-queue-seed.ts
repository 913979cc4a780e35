/**
 * The seeded default queue: a custom resource puts it once, conditionally, so the agent UI is never
 * empty and a redeploy never overwrites a queue an administrator has renamed.
 */
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId, type AwsSdkCall } from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { QUEUES_KEY } from '../../contract/tables.ts';
import { acknowledgeSdkCallProvider } from './acknowledgements.ts';
import { sdkCallProviderLogGroup } from './sdk-call-provider.ts';

/**
 * The `createdAt` of the seeded default queue unless told otherwise: a fixed instant, because a
 * synthesis time in the template would make every `cdk diff` show a change.
 */
export const DEFAULT_SEED_TIMESTAMP = new Date(0);

/** The queue to seed and the seeding call's log retention (InteractionTablesProps passes these on). */
export interface DefaultQueueSeedProps {
  /** The id of the queue to seed. */
  readonly defaultQueueId: string;
  /** Its display name. @default 'Default queue' */
  readonly defaultQueueName?: string;
  /** Its `createdAt`; only the first deployment's is stored. @default DEFAULT_SEED_TIMESTAMP */
  readonly seedTimestamp?: Date;
  /** Retention of the SDK-call provider's log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * Adds `SeedDefaultQueue` to `scope`: an AwsCustomResource that puts the default queue into
 * `queues` on create and update with `attribute_not_exists`, and takes the queue already existing
 * (every redeploy) as success. Its policy allows that one PutItem and nothing else.
 * @returns the custom resource
 */
export function seedDefaultQueue(scope: Construct, queues: ITable, props: DefaultQueueSeedProps): AwsCustomResource {
  const put: AwsSdkCall = {
    service: 'DynamoDB',
    action: 'putItem',
    parameters: {
      TableName: queues.tableName,
      Item: {
        [QUEUES_KEY.partitionKey]: { S: props.defaultQueueId },
        name: { S: props.defaultQueueName ?? 'Default queue' },
        createdAt: { S: (props.seedTimestamp ?? DEFAULT_SEED_TIMESTAMP).toISOString() },
      },
      ConditionExpression: 'attribute_not_exists(#id)',
      ExpressionAttributeNames: { '#id': QUEUES_KEY.partitionKey },
    },
    // The queue already existing is the expected outcome of every redeploy.
    ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
    physicalResourceId: PhysicalResourceId.of(`default-queue-${props.defaultQueueId}`),
  };
  const seed = new AwsCustomResource(scope, 'SeedDefaultQueue', {
    onCreate: put,
    onUpdate: put,
    installLatestAwsSdk: false,
    logGroup: sdkCallProviderLogGroup(scope, props.logRetention),
    policy: AwsCustomResourcePolicy.fromStatements([new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [queues.tableArn] })]),
  });
  acknowledgeSdkCallProvider(scope);
  return seed;
}
