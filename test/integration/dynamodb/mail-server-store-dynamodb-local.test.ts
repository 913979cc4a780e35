import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeMailServerStore } from './mail-server-store-suite.ts';

describeMailServerStore('DynamoDB Local', startDynamoDbLocal, 'ddblocal-servers');
