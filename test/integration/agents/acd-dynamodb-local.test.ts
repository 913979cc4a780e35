import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeAcd } from './acd-suite.ts';

describeAcd('DynamoDB Local', startDynamoDbLocal, 'ddblocal-acd');
