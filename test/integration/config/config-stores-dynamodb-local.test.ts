import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeConfigStores } from './config-store-suite.ts';

describeConfigStores('DynamoDB Local', startDynamoDbLocal, 'ddblocal-config');
