/**
 * The SES sending events Postroom subscribes to, by their EventBridge `detail-type`: shared by the
 * CDK rule that routes them to the feedback queue (lib/constructs/ses-feedback.ts) and the core
 * that reads them (lambdas/core/outbound/ses-feedback.ts), so neither can name one the other lacks.
 */
export const SES_FEEDBACK_DETAIL_TYPES = [
  'Email Bounced',
  'Email Complaint Received',
  'Email Delivered',
  'Email Delivery Delayed',
  'Email Rejected',
  'Email Rendering Failed',
] as const;

/** The tag SES adds to every event of a send through a configuration set: the set's name. */
export const SES_CONFIGURATION_SET_TAG = 'ses:configuration-set';
