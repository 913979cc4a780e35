/**
 * What the mailbox polling Lambdas and the CDK app agree on besides environment names: the metric
 * names the handlers emit (EMF) and the alarms watch, and the secrets the pollers may read.
 */

/** The CloudWatch namespace every Postroom metric is in (lambdas/adapters/metrics/emf.ts METRICS_NAMESPACE). */
export const POSTROOM_METRICS_NAMESPACE = 'Postroom';

/** The `Service` dimension and metric names of the dispatcher and the poller. */
export const MAIL_POLLING_METRICS = {
  dispatcherService: 'mailbox-dispatcher',
  pollerService: 'mailbox-poller',
  /** Gauge, once a minute: enabled inbound servers announced failing (needs-reauth, stalled, or failing polls in a row). */
  serversFailing: 'MailServersFailing',
  /** Poll jobs the dispatcher enqueued. */
  jobsEnqueued: 'PollJobsEnqueued',
  /** Messages a poll stored and enqueued. */
  messagesFetched: 'MessagesFetched',
  /** Polls that failed (one per failed poll). */
  pollErrors: 'MailServerPollErrors',
} as const;

/** The Secrets Manager name pattern of every mail server's secret (core/mailboxes/server.ts mailServerSecretRef). */
export const MAIL_SERVER_SECRET_PATTERN = 'postroom/mail-servers/*';
