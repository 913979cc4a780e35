import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeAcd } from './acd-suite.ts';
import { describeRemoval } from './removal-suite.ts';

describeAcd('DynamoDB Local', startDynamoDbLocal, 'ddblocal-acd');
describeRemoval('DynamoDB Local', startDynamoDbLocal, 'ddblocal-removal');
