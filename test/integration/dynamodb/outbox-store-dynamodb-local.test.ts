import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeOutboxStore } from './outbox-store-suite.ts';

describeOutboxStore('DynamoDB Local', startDynamoDbLocal, 'ddblocal-outbox');
