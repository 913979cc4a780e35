import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeThreading } from './thread-suite.ts';

describeThreading('DynamoDB Local', startDynamoDbLocal, 'ddblocal-threading');
