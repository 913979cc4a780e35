import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeCrashRepair } from './crash-suite.ts';
import { describePoison } from './poison-suite.ts';

describePoison('DynamoDB Local', startDynamoDbLocal, 'ddblocal-poison', false);
describeCrashRepair('DynamoDB Local', startDynamoDbLocal, 'ddblocal-crash');
