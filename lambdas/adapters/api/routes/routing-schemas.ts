/**
 * The shapes of the routing configuration bodies (address routes, flows) at the API's edge
 * (STYLE.md habit 5). zod checks types and sizes here; the domain rules (domains, configured
 * addresses, existing queues and flows, patterns) are core's (address-route.ts, flow-validation.ts).
 * Both report one message per field, keyed by JSON path: `routing.priority`, `rules[2].when[0].op`.
 */
import { z } from 'zod';
import { ValidationError } from '../../../core/errors.ts';
import { ADDRESS_LIMITS } from '../../../core/routing/address-route.ts';
import {
  CONDITION_FIELDS,
  CONDITION_OPS,
  FLOW_LIMITS,
  VERDICT_NAMES,
  type FlowDefinition,
} from '../../../core/routing/flow.ts';
import { MAX_ADDRESS_BCC } from '../../../core/routing/model.ts';

/** Caps far above the domain limits, so a hostile body is refused before it costs anything. */
const SHAPE_LIMITS = { maxBcc: MAX_ADDRESS_BCC * 4, maxSkills: 100, maxTextChars: 1_000 } as const;

const text = (max: number = SHAPE_LIMITS.maxTextChars) => z.string().max(max, `at most ${max} characters`);
const idText = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, "must be 1-64 letters, digits, '.', '_', ':' or '-'");
const integer = z.number({ error: 'must be an integer' }).int('must be an integer');
const skillList = z.array(text(64)).max(SHAPE_LIMITS.maxSkills, `at most ${SHAPE_LIMITS.maxSkills} skills`);

const addressRouting = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('queue'),
      queueId: idText,
      skills: skillList.default([]),
      language: text(8).optional(),
      priority: integer.default(0),
    }),
    z.strictObject({ kind: z.literal('flow'), flowId: idText }),
    z.strictObject({ kind: z.literal('none') }),
  ],
  { error: "must be { kind: 'queue', queueId, ... }, { kind: 'flow', flowId } or { kind: 'none' }" },
);

const spamRouting = z.discriminatedUnion(
  'kind',
  [z.strictObject({ kind: z.literal('flow'), flowId: idText }), z.strictObject({ kind: z.literal('disconnect') })],
  { error: "must be { kind: 'flow', flowId } or { kind: 'disconnect' }" },
);

/** The body of `PUT /addresses/:address` (the address comes from the path). */
export const addressUpdateBody = z.strictObject({
  fromName: text(ADDRESS_LIMITS.maxFromNameChars),
  /** Defaults to the address itself. */
  fromAddress: text(ADDRESS_LIMITS.maxAddressChars).optional(),
  replyTo: text(ADDRESS_LIMITS.maxAddressChars).optional(),
  bcc: z.array(text(ADDRESS_LIMITS.maxAddressChars)).max(SHAPE_LIMITS.maxBcc, `at most ${MAX_ADDRESS_BCC} distinct BCC recipients`).default([]),
  routing: addressRouting,
  spamRouting: spamRouting.optional(),
});

/** The body of `POST /addresses`. */
export const addressCreateBody = addressUpdateBody.extend({ address: text(ADDRESS_LIMITS.maxAddressChars) });

const condition = z.strictObject({
  field: z.enum(CONDITION_FIELDS, `must be one of ${CONDITION_FIELDS.join(', ')}`),
  op: z.enum(CONDITION_OPS, `must be one of ${CONDITION_OPS.join(', ')}`),
  header: text(FLOW_LIMITS.maxHeaderNameChars).optional(),
  verdict: z.enum(VERDICT_NAMES, `must be one of ${VERDICT_NAMES.join(', ')}`).optional(),
  value: text(FLOW_LIMITS.maxValueChars).optional(),
  values: z.array(text(FLOW_LIMITS.maxValueChars)).max(FLOW_LIMITS.maxValues, `at most ${FLOW_LIMITS.maxValues} values`).optional(),
  not: z.boolean().optional(),
});

const action = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('setQueue'), queueId: idText }),
    z.strictObject({ type: z.literal('setSkills'), skills: skillList }),
    z.strictObject({ type: z.literal('addSkills'), skills: skillList }),
    z.strictObject({ type: z.literal('setLanguage'), language: text(8) }),
    z.strictObject({ type: z.literal('setPriority'), priority: integer }),
    z.strictObject({ type: z.literal('adjustPriority'), delta: integer }),
    z.strictObject({
      type: z.literal('autoAcknowledge'),
      templateId: idText.optional(),
      subject: text(FLOW_LIMITS.maxAckSubjectChars).optional(),
      body: text(FLOW_LIMITS.maxAckBodyChars).optional(),
    }),
    z.strictObject({ type: z.literal('tag'), tags: z.array(text(FLOW_LIMITS.maxTagChars)).max(FLOW_LIMITS.maxTags, `at most ${FLOW_LIMITS.maxTags} tags`) }),
    z.strictObject({ type: z.literal('disconnect'), reason: text(FLOW_LIMITS.maxReasonChars) }),
  ],
  { error: 'must be an action: setQueue, setSkills, addSkills, setLanguage, setPriority, adjustPriority, autoAcknowledge, tag or disconnect' },
);

const rule = z.strictObject({
  name: text(FLOW_LIMITS.maxNameChars).optional(),
  when: z.array(condition).max(FLOW_LIMITS.maxConditionsPerRule, `at most ${FLOW_LIMITS.maxConditionsPerRule} conditions`).default([]),
  then: z.array(action).max(FLOW_LIMITS.maxActionsPerRule, `must list 1-${FLOW_LIMITS.maxActionsPerRule} actions`),
  stop: z.boolean().optional(),
});

/** The body of `PUT /flows/:id`: a flow definition (core/routing/flow.ts documents the format). */
export const flowBody = z.strictObject({
  name: text(FLOW_LIMITS.maxNameChars),
  description: text(FLOW_LIMITS.maxDescriptionChars).optional(),
  rules: z.array(rule).max(FLOW_LIMITS.maxRules, `at most ${FLOW_LIMITS.maxRules} rules`),
});

/** The body of `PUT /templates/:id`; one-line subject and placeholders are core's rules (ack-template.ts). */
export const templateBody = z.strictObject({
  name: text(FLOW_LIMITS.maxNameChars),
  subject: text(FLOW_LIMITS.maxAckSubjectChars),
  body: text(FLOW_LIMITS.maxAckBodyChars),
});

/** Compile-time proof that what {@link flowBody} accepts is a {@link FlowDefinition}. */
export const asFlowDefinition = (body: z.output<typeof flowBody>): FlowDefinition => body;

/**
 * Parses a JSON body with `schema`.
 * @throws ValidationError with one message per field path (the first issue of each path)
 */
export function parseBody<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields: Record<string, string> = {};
  for (const issue of result.error.issues) {
    const message = issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : issue.message;
    fields[fieldPath(issue.path)] ??= message;
  }
  throw new ValidationError(fields);
}

/** `['rules', 2, 'when', 0, 'op']` as `rules[2].when[0].op`; the whole body as `body`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || 'body';
}

/**
 * The request's JSON body.
 * @throws ValidationError (field `body`) when it is not JSON
 */
export async function jsonBody(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new ValidationError({ body: 'must be a JSON object' });
  }
}
