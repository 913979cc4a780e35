/**
 * The deploy guard on the stack's region: SES receives mail only in some regions, so a Postroom
 * stack anywhere else would fail half-way through its deployment (or, worse, deploy and never
 * receive). Synth stops instead, with a {@link ContextError} that bin/app.ts prints as one line.
 */
import { Token } from 'aws-cdk-lib';
import { SES_RECEIVING_REGIONS, isSesReceivingRegion } from '../contract/ses-receiving.ts';
import { ContextError } from './context.ts';

/**
 * Returns `region` when SES receives mail there. Throws a {@link ContextError} for a region outside
 * {@link SES_RECEIVING_REGIONS}, and for a region-agnostic stack (an unresolved token region),
 * whose region CDK cannot check before deploying: it says to set CDK_DEFAULT_REGION or the stack's env.
 */
export function receivingRegionOf(region: string): string {
  if (Token.isUnresolved(region)) {
    throw new ContextError(
      'the stack has no region, so SES receiving cannot be checked: set CDK_DEFAULT_REGION (the cdk CLI sets it from AWS_REGION or your profile\'s region) or give the stack an env with a region',
    );
  }
  if (!isSesReceivingRegion(region)) {
    throw new ContextError(`SES does not receive mail in ${region}; deploy Postroom to one of ${SES_RECEIVING_REGIONS.join(', ')}`);
  }
  return region;
}
