import { startDynalite } from '../../../lambdas/local/services.ts';
import { describeDomainStore } from './domain-store-suite.ts';

describeDomainStore('dynalite', () => startDynalite(), 'dynalite-domains');
