import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { beforeEach, describe, expect, it, vi } from 'vitest';

/** The fake account's rule sets: which is active, and every activation call made. */
const account = { active: undefined as string | undefined, calls: [] as (string | undefined)[] };

vi.mock('../../../lambdas/adapters/aws/ses-rule-sets.ts', () => ({
  lambdaCallContext: () => ({}),
  SesRuleSets: class {
    async activeName() {
      return account.active;
    }
    async setActive(name?: string) {
      account.calls.push(name);
      account.active = name;
    }
  },
}));

const { handler } = await import('../../../lambdas/handlers/rule-set-activation.ts');

/** A Provider framework event for our rule set `ours`. */
function event(RequestType: 'Create' | 'Update' | 'Delete', ReplaceActive = 'false'): CloudFormationCustomResourceEvent {
  return {
    RequestType,
    ResourceProperties: { ServiceToken: 'arn', RuleSetName: 'ours', ReplaceActive },
    PhysicalResourceId: 'ours',
  } as unknown as CloudFormationCustomResourceEvent;
}

beforeEach(() => {
  account.active = undefined;
  account.calls = [];
});

describe('rule set activation handler', () => {
  it('activates ours on create when no set is active', async () => {
    // Act
    const result = await handler(event('Create'));
    // Assess
    expect(result).toEqual({ PhysicalResourceId: 'ours' });
    expect(account.active).toBe('ours');
  });

  it('fails the create, changing nothing, when another set is active', async () => {
    // Prepare
    account.active = 'admin-rules';
    // Act
    const act = handler(event('Create'));
    // Assess
    await expect(act).rejects.toThrow(/"admin-rules" is active.*postroom:receiptRuleSet=admin-rules.*postroom:replaceActiveRuleSet=true/);
    expect(account.calls).toEqual([]);
  });

  it('replaces another active set when allowed', async () => {
    // Prepare
    account.active = 'admin-rules';
    // Act
    await handler(event('Update', 'true'));
    // Assess
    expect(account.active).toBe('ours');
  });

  it('on delete deactivates ours, and leaves a set someone activated since', async () => {
    // Prepare
    account.active = 'ours';
    // Act
    await handler(event('Delete'));
    account.active = 'admin-rules';
    await handler(event('Delete'));
    // Assess
    expect(account.calls).toEqual([undefined]);
    expect(account.active).toBe('admin-rules');
  });
});
