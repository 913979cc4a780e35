import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeStores } from './store-suite.ts';

describeStores('DynamoDB Local', startDynamoDbLocal, 'ddblocal-stores');
