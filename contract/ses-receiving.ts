/**
 * Where SES can receive mail. Receipt rule sets exist only in these regions: elsewhere the
 * CloudFormation resources fail mid-deploy, and the MX target `inbound-smtp.<region>.amazonaws.com`
 * does not exist. Shared by the CDK app (refuses to synth elsewhere) and anything that prints MX
 * records for a region.
 */

/**
 * The regions of the "Email receiving endpoints" table of the AWS General Reference,
 * https://docs.aws.amazon.com/general/latest/gr/ses.html#ses_inbound_endpoints (linked from the SES
 * Developer Guide, https://docs.aws.amazon.com/ses/latest/dg/regions.html#region-receive-email), as
 * checked on 2026-11-26 against a copy of that table: eleven regions, each with an
 * `inbound-smtp.<region>.amazonaws.com` endpoint. Not in it (send-only): us-west-1, the GovCloud
 * regions, and every other region. Why a fixed list: CDK has no fact for SES receiving, and a
 * wrong region should fail at synth, not half-way through a deployment. Update it when AWS adds
 * receiving to a region.
 */
export const SES_RECEIVING_REGIONS: readonly string[] = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ap-northeast-1',
  'ca-central-1',
  'eu-central-1',
  'eu-west-1',
  'eu-west-2',
];

/** Whether SES receives mail in `region` (an AWS region name such as 'eu-west-1'). */
export function isSesReceivingRegion(region: string): boolean {
  return SES_RECEIVING_REGIONS.includes(region);
}
