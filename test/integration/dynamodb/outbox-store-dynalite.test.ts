import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeOutboxStore } from './outbox-store-suite.ts';

describeOutboxStore('dynalite', () => startDynalite(), 'dynalite-outbox');
