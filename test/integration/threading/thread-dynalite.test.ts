import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeThreading } from './thread-suite.ts';

describeThreading('dynalite', () => startDynalite(), 'dynalite-threading');
