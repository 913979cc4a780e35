import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describePoison } from './poison-suite.ts';

describePoison('DynamoDB Local', startDynamoDbLocal, 'ddblocal-poison');
