import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeConfigStores } from './config-store-suite.ts';

describeConfigStores('dynalite', () => startDynalite(), 'dynalite-config');
