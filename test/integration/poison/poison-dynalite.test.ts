import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeCrashRepair } from './crash-suite.ts';
import { describePoison } from './poison-suite.ts';

describePoison('dynalite', () => startDynalite(), 'dynalite-poison');
describeCrashRepair('dynalite', () => startDynalite(), 'dynalite-crash');
