import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { SES_RECEIVING_REGIONS } from '../../contract/ses-receiving.ts';
import { ContextError } from '../../lib/context.ts';
import { PostroomStack } from '../../lib/postroom-stack.ts';
import { receivingRegionOf } from '../../lib/receiving-region.ts';
import { FEATURE_FLAGS, WHOLE_STACK_TIMEOUT_MS, newPostroomStack } from './app-fixture.ts';

describe('receivingRegionOf', () => {
  it('accepts every SES receiving region', () => {
    for (const region of SES_RECEIVING_REGIONS) {
      // Act + Assess
      expect(receivingRegionOf(region)).toBe(region);
    }
  });

  it('names the region and the receiving regions when SES does not receive there', () => {
    // Act
    const act = () => receivingRegionOf('eu-south-1');
    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(/SES does not receive mail in eu-south-1; deploy Postroom to one of us-east-1, .*eu-west-1/);
  });
});

describe('the Postroom stack region guard', () => {
  it('synthesizes in a receiving region', () => {
    // Act
    const stack = newPostroomStack({ env: { account: '111111111111', region: 'us-east-2' } });
    // Assess
    expect(stack.region).toBe('us-east-2');
   }, WHOLE_STACK_TIMEOUT_MS);

  it('refuses a region without SES receiving before creating any resource', () => {
    // Act
    const act = () => newPostroomStack({ env: { account: '111111111111', region: 'sa-east-1' } });
    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(/SES does not receive mail in sa-east-1/);
  });

  it('refuses a region-agnostic stack and says to set CDK_DEFAULT_REGION or the env', () => {
    // Act (a fresh app per call: a failed stack still leaves its name taken)
    const act = () => new PostroomStack(new App({ context: { ...FEATURE_FLAGS } }), 'Postroom', { domains: [{ name: 'support.acme.com' }] });
    // Assess
    expect(act).toThrow(ContextError);
    expect(act).toThrow(/no region.*set CDK_DEFAULT_REGION.*env with a region/);
  });
});
