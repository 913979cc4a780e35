import { startDynamoDbLocal } from '../../support/dynamodb-local.ts';
import { describeDomainStore } from './domain-store-suite.ts';

describeDomainStore('DynamoDB Local', startDynamoDbLocal, 'ddblocal-domains');
