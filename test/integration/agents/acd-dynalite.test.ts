import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeAcd } from './acd-suite.ts';

describeAcd('dynalite', () => startDynalite(), 'dynalite-acd');
