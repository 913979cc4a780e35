import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeMailServerStore } from './mail-server-store-suite.ts';

describeMailServerStore('dynalite', () => startDynalite(), 'dynalite-servers');
