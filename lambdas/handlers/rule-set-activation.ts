/**
 * The custom resource that activates Postroom's SES receipt rule set (lib/constructs/
 * rule-set-activation.ts; run by the CDK Provider framework, which reports a thrown error as the
 * failed resource's reason). On create and update it activates the set unless another set is
 * active and replacing it is not allowed (core/rule-set-guard.ts); on delete it deactivates the set
 * only while it is still the active one.
 */
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { activationDecision, shouldDeactivate } from '../core/rule-set-guard.ts';
import { SesRuleSets, lambdaCallContext } from '../adapters/aws/ses-rule-sets.ts';

const ses = new SesRuleSets(lambdaCallContext());

/** The resource's properties, as CloudFormation passes them (every value a string). */
interface ActivationProperties {
  readonly RuleSetName: string;
  readonly ReplaceActive?: string;
}

/** Provider framework onEvent: the physical id is the rule set's name. */
export async function handler(event: CloudFormationCustomResourceEvent): Promise<{ PhysicalResourceId: string }> {
  const props = event.ResourceProperties as unknown as ActivationProperties;
  const ours = props.RuleSetName;
  const active = await ses.activeName();
  if (event.RequestType === 'Delete') {
    if (shouldDeactivate(ours, active)) await ses.setActive();
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const decision = activationDecision({ ours, active, replaceAllowed: props.ReplaceActive === 'true' });
  if (decision.kind === 'refuse') throw new Error(decision.message);
  if (active !== ours) await ses.setActive(ours);
  return { PhysicalResourceId: ours };
}
