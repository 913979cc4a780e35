/**
 * POST /interactions/:id/reply: reply, reply-all or forward by the agent holding the claim. A
 * request id makes a retried click idempotent (the API answers the first try's outbox record).
 * Refusals come back as ApiError with `fields` (`to`, `cc[2]`, `attachments[0]`...) for the form.
 */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client.ts';
import type { MailAddress, OutboxSummary } from './types.ts';

/** What the composer sends. */
export interface ReplyRequest {
  readonly mode: 'reply' | 'reply-all' | 'forward';
  readonly to: readonly MailAddress[];
  readonly cc: readonly MailAddress[];
  readonly bcc: readonly MailAddress[];
  readonly subject?: string;
  readonly text: string;
  readonly attachments: readonly string[];
  readonly requestId: string;
}

/** Sends the reply; returns the outbox record it became. */
export async function sendReply(interactionId: string, agentId: string, r: ReplyRequest): Promise<OutboxSummary> {
  const body = {
    agentId,
    mode: r.mode,
    ...(r.to.length > 0 && { to: r.to }),
    ...(r.cc.length > 0 && { cc: r.cc }),
    ...(r.bcc.length > 0 && { bcc: r.bcc }),
    ...(r.subject && { subject: r.subject }),
    text: r.text,
    ...(r.attachments.length > 0 && { attachments: r.attachments }),
    requestId: r.requestId,
  };
  const answer = await api.post<{ outbox: OutboxSummary }>(`/interactions/${encodeURIComponent(interactionId)}/reply`, body);
  return answer.outbox;
}

/** The reply as a mutation; refreshes the interaction (its timeline shows the outbox record). */
export function useSendReply(interactionId: string, agentId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (r: ReplyRequest) => sendReply(interactionId, agentId, r),
    onSuccess: () => client.invalidateQueries({ queryKey: ['workspace', 'interaction', interactionId] }),
  });
}
