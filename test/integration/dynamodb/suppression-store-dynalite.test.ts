import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeSuppressionStore } from './suppression-store-suite.ts';

describeSuppressionStore('dynalite', () => startDynalite(), 'dynalite-suppressions');
