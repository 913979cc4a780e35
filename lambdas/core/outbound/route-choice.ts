/**
 * Which way one message goes out (issue 11 item 3; seed manage-email-servers.de.txt steps 9 and
 * 12; ARCHITECTURE.md decision 8). Pure: the sender gathers the facts, this decides, and the
 * decision (with its reason in words) is recorded on the outbox record.
 */
import type { OutboundRoute, OutboxPurpose } from './outbox.ts';
import type { RouteFacts, SmtpIntegration } from './outbound-ports.ts';

/** No way to send from that address: the record fails with this, in words. */
export interface NoRoute {
  readonly kind: 'none';
  readonly reason: 'no-route-for-sender' | 'sender-not-allowed';
  readonly detail: string;
}

/**
 * The route for a message from `fromAddress` (lower-case):
 * 1. template mail (`notification`) goes through the template server when one is set, from its
 *    user or one of its additional sender addresses (seed step 12), else on as below;
 * 2. SES when the From domain is verified for sending;
 * 3. else the enabled SMTP integration whose user or additional senders include the address
 *    (seed step 9); one in error is still chosen: the sender holds the message there, it is not lost;
 * 4. else no route; when a disabled SMTP server sends as the address, the words name it and its last error.
 */
export function chooseRoute(fromAddress: string, purpose: OutboxPurpose, facts: RouteFacts): OutboundRoute | NoRoute {
  const from = fromAddress.toLowerCase();
  const enabled = facts.integrations.filter((i) => i.enabled);
  if (purpose === 'notification') {
    const template = enabled.find((i) => i.role === 'template');
    if (template) {
      if (!template.senders.includes(from)) {
        return {
          kind: 'none',
          reason: 'sender-not-allowed',
          detail: `template mail goes through the template server "${template.name}", which sends only as ${template.senders.join(', ')}, not as ${from}`,
        };
      }
      return smtp(template, `template mail goes through the template server "${template.name}"`);
    }
  }
  if (facts.sesVerified) return { kind: 'ses', identity: domainOf(from), reason: `${domainOf(from)} is verified for sending in SES` };
  const owner = enabled.find((i) => i.senders.includes(from));
  if (owner) return smtp(owner, `${domainOf(from)} is not verified in SES; "${owner.name}" sends as ${from}`);
  const disabled = facts.integrations.find((i) => !i.enabled && i.senders.includes(from));
  if (disabled) {
    // Name the server and why it is off: "no SMTP server sends as ..." would send the admin to add a second one.
    const why = disabled.problem ? ` (its last error: ${disabled.problem.detail})` : '';
    return {
      kind: 'none',
      reason: 'no-route-for-sender',
      detail: `no route for ${from}: ${domainOf(from)} is not verified for sending in SES and the SMTP server "${disabled.name}" that sends as ${from} is disabled${why}; fix it and enable it (postroom server update ${disabled.serverId} --enable)`,
    };
  }
  return {
    kind: 'none',
    reason: 'no-route-for-sender',
    detail: `no route for ${from}: ${domainOf(from)} is not verified for sending in SES (postroom domain check ${domainOf(from)}) and no enabled SMTP server sends as ${from} (postroom server add --type smtp --user ${from})`,
  };
}

function smtp(integration: SmtpIntegration, reason: string): OutboundRoute {
  return { kind: 'smtp', serverId: integration.serverId, reason };
}

function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1);
}
