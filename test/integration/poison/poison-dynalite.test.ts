import { startDynalite } from '../../../lambdas/local/services.ts';
import { describePoison } from './poison-suite.ts';

describePoison('dynalite', () => startDynalite(), 'dynalite-poison');
