import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeAcd } from './acd-suite.ts';
import { describeRemoval } from './removal-suite.ts';

describeAcd('dynalite', () => startDynalite(), 'dynalite-acd');
describeRemoval('dynalite', () => startDynalite(), 'dynalite-removal');
