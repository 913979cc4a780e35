import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeSuppressionStore } from './suppression-store-suite.ts';

describeSuppressionStore('DynamoDB Local', startDynamoDbLocal, 'ddblocal-suppressions');
